// The HTTP surface of `costwatch run` and `costwatch serve`: one Router for both, and the
// server options from the config and --listen.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "config/config.h"
#include "metrics/metrics.h"
#include "util/result.h"
#include "web/router.h"
#include "web/server.h"

namespace costwatch::cli {

struct WebContext {
  config::Config config;
  std::filesystem::path state_path;
  std::optional<metrics::DaemonState> daemon;  // under `run`
};

// /healthz, /readyz, /metrics and the dashboard.
web::Router BuildWebRouter(const WebContext& context);

// The config's server section with --listen over its address. Warns (on stderr) when the
// address is not a loopback one and no token is set.
Result<web::ServerOptions> WebServerOptions(const config::Config& config,
                                            const std::string& listen);

}  // namespace costwatch::cli
