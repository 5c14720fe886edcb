#include "cli/serve_command.h"

#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>

#include "cli/daemon_setup.h"
#include "cli/output.h"
#include "cli/web_routes.h"
#include "config/loader.h"

namespace costwatch::cli {

void AddServeCommand(CLI::App& app, ServeOptions& options) {
  auto* serve = app.add_subcommand(
      "serve", "Serve the dashboard, /metrics and health checks from the state (read-only)");
  serve->add_option("--config,-c", options.config_path,
                    "Config file (sources, schedule and the server section)");
  serve->add_option("--state", options.state_path, "State database");
  serve->add_option("--listen", options.listen,
                    "HOST:PORT to listen on (default: server.listen, else 127.0.0.1:8377)");
}

int RunServe(const ServeOptions& options) {
  config::Config config = DefaultConfig();
  if (!options.config_path.empty()) {
    auto loaded = config::LoadConfig(options.config_path, config::ProcessEnvLookup());
    if (!loaded) {
      PrintError(loaded.error().message);
      return 1;
    }
    config = std::move(*loaded);
    PrintSecurityWarnings(config);
  }
  RunOptions paths;
  paths.state_path = options.state_path;
  auto state_path = StatePath(paths, config.state_path);
  if (!state_path) {
    PrintError(state_path.error().message);
    return 1;
  }
  auto server_options = WebServerOptions(config, options.listen);
  if (!server_options) {
    PrintError(server_options.error().message);
    return 2;
  }
  // The signals wait for sigwait below: blocked before the server's threads start, so that
  // they inherit the mask and none of them is interrupted instead.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  WebContext context{std::move(config), *state_path, std::nullopt};
  auto server = web::StartServer(*server_options, BuildWebRouter(context));
  if (!server) {
    PrintError(server.error().message);
    return 1;
  }
  PrintNote("serving " + state_path->string() + " on http://" +
            FormatListenAddress({server_options->listen.host, (*server)->port()}) + "/");
  int signal = 0;
  sigwait(&signals, &signal);
  (*server)->Stop();
  PrintNote("stopped");
  return 0;
}

}  // namespace costwatch::cli
