// Which proxy a request goes through, decided from the environment the way libcurl decides it,
// so that deployments configured for the curl-based client keep working: https_proxy or
// HTTPS_PROXY for https URLs, only lowercase http_proxy for http URLs (uppercase HTTP_PROXY is
// ignored: httpoxy), all_proxy or ALL_PROXY when the scheme's own variable is unset, and
// no_proxy or NO_PROXY for the hosts reached directly. A lowercase variable that is set, even to
// the empty string, wins over its uppercase form; an empty proxy means none.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch::http {

struct ProxyEnvironment {
  std::string https_proxy;
  std::string http_proxy;
  std::string all_proxy;
  std::string no_proxy;
};

// `lookup` returns a variable's value, or nullopt when it is unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;
ProxyEnvironment ReadProxyEnvironment(const EnvironmentLookup& lookup);
ProxyEnvironment ReadProcessProxyEnvironment();

// True when `host` is to be reached directly under `no_proxy`: a comma-separated list of host
// names or domain suffixes (a leading dot optional), IP literals compared exactly, ports
// ignored, or "*" alone for every host.
bool NoProxyMatches(std::string_view no_proxy, std::string_view host);

// The proxy URL for a request to `scheme`://`host`, empty when it goes directly.
std::string ProxyUrlFor(const ProxyEnvironment& environment, std::string_view scheme,
                        std::string_view host);

struct Proxy {
  std::string host;
  int port = 1080;  // libcurl's default when the proxy URL names none
  std::string username;
  std::string password;
};

// "[http://][user[:password]@]host[:port][/]"; user and password percent-decoded. Only plain
// HTTP proxies are supported (HTTPS is tunnelled through them with CONNECT). Error messages
// never quote the user information.
Result<Proxy> ParseProxyUrl(std::string_view text);

}  // namespace costwatch::http
