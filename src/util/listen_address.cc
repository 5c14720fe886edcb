#include "util/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <string>

namespace costwatch {
namespace {

Result<int> ParsePort(std::string_view text, std::string_view whole) {
  int port = -1;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || ec != std::errc() || ptr != end || port < 0 || port > 65535) {
    return Fail("listen address '" + std::string(whole) +
                "' has no valid port (0 to 65535 after the last ':')");
  }
  return port;
}

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Fail("listen address '" + std::string(text) + "' " + std::string(why) +
                " (expected HOST:PORT, [IPV6]:PORT or :PORT)");
  };
  if (text.empty()) return bad("is empty");
  ListenAddress address;
  std::string_view host;
  std::string_view port;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return bad("has no ']' after the IPv6 address");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("has something other than ':PORT' after ']'");
      port = rest.substr(1);
      if (port.empty()) return bad("has no port after ':'");
    }
  } else {
    const size_t colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon) {
      return bad("is an IPv6 address without brackets");
    }
    host = text.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = text.substr(colon + 1);
      if (port.empty()) return bad("has no port after ':'");
    }
  }
  if (host.find_first_of(" \t/") != std::string_view::npos) return bad("has an invalid host");
  if (!host.empty()) address.host = std::string(host);
  if (!port.empty()) {
    auto parsed = ParsePort(port, text);
    if (!parsed) return parsed.error();
    address.port = *parsed;
  }
  return address;
}

std::string FormatListenAddress(const ListenAddress& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost") return true;
  // Addresses only: "127.example.com" is a name anyone can point anywhere.
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

}  // namespace costwatch
