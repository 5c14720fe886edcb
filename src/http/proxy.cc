#include "http/proxy.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "http/http.h"
#include "util/text.h"

namespace costwatch::http {
namespace {

// The first of the names that is set, even to "": libcurl's order of precedence.
std::string FirstSet(const EnvironmentLookup& lookup, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto value = lookup(name)) return *value;
  }
  return {};
}

bool IsIpLiteral(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// "host", "host:port", "[v6]" or "[v6]:port" → the host alone.
std::string_view WithoutPort(std::string_view entry) {
  if (entry.starts_with('[')) {
    const auto close = entry.find(']');
    return close == std::string_view::npos ? entry.substr(1) : entry.substr(1, close - 1);
  }
  const auto colon = entry.find(':');
  // Two colons or more: an unbracketed IPv6 literal, which has no port.
  if (colon == std::string_view::npos || entry.find(':', colon + 1) != std::string_view::npos)
    return entry;
  return entry.substr(0, colon);
}

bool EntryMatches(std::string_view entry, std::string_view host) {
  entry = WithoutPort(entry);
  if (IsIpLiteral(host) || IsIpLiteral(entry)) return EqualsIgnoreCase(entry, host);
  if (entry.starts_with('.')) entry.remove_prefix(1);
  while (entry.ends_with('.')) entry.remove_suffix(1);
  if (entry.empty()) return false;
  if (EqualsIgnoreCase(entry, host)) return true;
  return host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
         EqualsIgnoreCase(host.substr(host.size() - entry.size()), entry);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

ProxyEnvironment ReadProxyEnvironment(const EnvironmentLookup& lookup) {
  return {
      .https_proxy = FirstSet(lookup, {"https_proxy", "HTTPS_PROXY"}),
      .http_proxy = FirstSet(lookup, {"http_proxy"}),
      .all_proxy = FirstSet(lookup, {"all_proxy", "ALL_PROXY"}),
      .no_proxy = FirstSet(lookup, {"no_proxy", "NO_PROXY"}),
  };
}

ProxyEnvironment ReadProcessProxyEnvironment() {
  return ReadProxyEnvironment([](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only here
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  });
}

bool NoProxyMatches(std::string_view no_proxy, std::string_view host) {
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  while (host.ends_with('.')) host.remove_suffix(1);
  if (Trim(no_proxy) == "*") return true;
  return std::ranges::any_of(Split(no_proxy, ','), [host](std::string_view entry) {
    entry = Trim(entry);
    return !entry.empty() && EntryMatches(entry, host);
  });
}

std::string ProxyUrlFor(const ProxyEnvironment& environment, std::string_view scheme,
                        std::string_view host) {
  if (NoProxyMatches(environment.no_proxy, host)) return {};
  const std::string& own = scheme == "https" ? environment.https_proxy : environment.http_proxy;
  return own.empty() ? environment.all_proxy : own;
}

Result<Proxy> ParseProxyUrl(std::string_view text) {
  text = Trim(text);
  const auto scheme_end = text.find("://");
  if (scheme_end != std::string_view::npos) {
    if (!EqualsIgnoreCase(text.substr(0, scheme_end), "http")) {
      return Fail("unsupported proxy scheme \"" + std::string(text.substr(0, scheme_end)) +
                  "://\" in the proxy environment variable: only http:// proxies are supported");
    }
    text.remove_prefix(scheme_end + 3);
  }
  text = text.substr(0, text.find_first_of("/?#"));
  Proxy proxy;
  const auto at = text.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = text.substr(0, at);
    const auto colon = userinfo.find(':');
    proxy.username = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) proxy.password = PercentDecode(userinfo.substr(colon + 1));
    text.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return Fail("invalid proxy address: unclosed IPv6 address");
    proxy.host = std::string(text.substr(1, close - 1));
    if (text.substr(close + 1).starts_with(':')) port_text = text.substr(close + 2);
  } else {
    const auto colon = text.find(':');
    proxy.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
  }
  if (proxy.host.empty()) return Fail("invalid proxy address: no host");
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
      return Fail("invalid proxy address " + proxy.host +
                  ": port must be a number from 1 to 65535");
    }
    proxy.port = port;
  }
  return proxy;
}

}  // namespace costwatch::http
