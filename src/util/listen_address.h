// Where an HTTP server listens: "127.0.0.1:8377", "[::1]:8377", "0.0.0.0:8377", ":8377" (the
// default host). Shared by the config's server section, `--listen` and the server itself.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch {

// costwatch's port when none is given: unassigned in /etc/services and not among the ports of
// well-known software or of Prometheus exporters (9100-9999), so a dashboard next to
// node_exporter, Grafana (3000) or Prometheus (9090) does not collide.
inline constexpr int kDefaultListenPort = 8377;
inline constexpr std::string_view kDefaultListenHost = "127.0.0.1";

struct ListenAddress {
  std::string host = std::string(kDefaultListenHost);  // IPv4 or IPv6 literal, or a name
  int port = kDefaultListenPort;                       // 0: any free port (tests)
};

// HOST:PORT, [IPV6]:PORT, :PORT or HOST (default port). The error names what is wrong with the
// text, which is quoted.
Result<ListenAddress> ParseListenAddress(std::string_view text);

// "127.0.0.1:8377", "[::1]:8377".
std::string FormatListenAddress(const ListenAddress& address);

// 127.0.0.0/8, ::1 and localhost: only this machine can connect.
bool IsLoopbackHost(std::string_view host);

}  // namespace costwatch
