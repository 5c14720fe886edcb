// costwatch serve: the dashboard, /metrics and the health checks from the state database,
// read-only, beside a running daemon (or without one), until SIGTERM or SIGINT.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costwatch::cli {

struct ServeOptions {
  std::string config_path;  // its sources, schedule and server section; default: built-in
  std::string state_path;   // overrides the config's state path
  std::string listen;       // overrides server.listen
};

void AddServeCommand(CLI::App& app, ServeOptions& options);

int RunServe(const ServeOptions& options);

}  // namespace costwatch::cli
