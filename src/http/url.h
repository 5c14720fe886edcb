// Just enough URL parsing for endpoints: scheme, host, port, path and query of an absolute URL.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch::http {

struct Url {
  std::string scheme;  // "http" or "https", lowercased
  std::string host;    // without brackets for IPv6 literals
  int port = 0;        // the explicit port, or the scheme's default
  bool explicit_port = false;
  std::string path;   // "/" when empty; raw, as given
  std::string query;  // after '?', raw; empty when absent

  // The Host header value: host, plus ":port" when the port is not the scheme's default.
  [[nodiscard]] std::string authority() const;
};

// What ParseUrl says of "scheme://user:password@host": the config check, the sinks and the
// notifiers refuse such a URL with the same words.
inline constexpr std::string_view kUserInfoRefused =
    "invalid URL: user information (user:password@) is not allowed in a URL; put credentials in "
    "a header (or username and password)";

// Whether the authority of "scheme://authority/..." holds user information ("user:pass@").
bool HasUserInfo(std::string_view url);

// The URL with its user information replaced by <redacted>: the only form a URL with one may be
// printed in.
std::string WithoutUserInfo(std::string_view url);

// Accepts http:// and https:// URLs only; an endpoint in any other form is a configuration
// error the user should hear about before a request is sent.
Result<Url> ParseUrl(std::string_view text);

}  // namespace costwatch::http
