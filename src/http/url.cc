#include "http/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

namespace costwatch::http {

std::string Url::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out;
  if (ipv6) out += '[';
  out += host;
  if (ipv6) out += ']';
  if (explicit_port && port != (scheme == "https" ? 443 : 80)) {
    out += ':';
    out += std::to_string(port);
  }
  return out;
}

namespace {

// [start, end) of the user information and its '@' in "scheme://user:pass@host/...", or
// nothing.
std::optional<std::pair<size_t, size_t>> UserInfoRange(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const size_t authority = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const size_t at = url.substr(authority, authority_end - authority).rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  return std::pair{authority, authority + at + 1};
}

}  // namespace

bool HasUserInfo(std::string_view url) {
  return UserInfoRange(url).has_value();
}

std::string WithoutUserInfo(std::string_view url) {
  const auto range = UserInfoRange(url);
  if (!range) return std::string(url);
  return std::string(url.substr(0, range->first)) + "<redacted>@" +
         std::string(url.substr(range->second));
}

Result<Url> ParseUrl(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    std::string message = "invalid URL \"";
    // Not echoed: the text before '@' is often a password.
    message += WithoutUserInfo(text);
    message += "\": ";
    message += why;
    return Fail(std::move(message));
  };
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return bad("expected http:// or https://");
  url.scheme = std::string(text.substr(0, scheme_end));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https") return bad("expected http:// or https://");
  url.port = url.scheme == "https" ? 443 : 80;

  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return Fail(std::string(kUserInfoRefused));

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed IPv6 address");
    url.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("no host");
  if (url.host.find_first_of(" \t\r\n") != std::string::npos) return bad("space in host");
  if (!port_text.empty() || authority.ends_with(':')) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 1 || port > 65535)
      return bad("port must be a number from 1 to 65535");
    url.port = port;
    url.explicit_port = true;
  }

  rest = rest.substr(0, rest.find('#'));
  const auto question = rest.find('?');
  url.path = std::string(rest.substr(0, question));
  if (question != std::string_view::npos) url.query = std::string(rest.substr(question + 1));
  if (url.path.empty()) url.path = "/";
  return url;
}

}  // namespace costwatch::http
