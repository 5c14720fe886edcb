// costwatch run: the always-on billing source. Pulls each source on its schedule, records rows
// and queues new and restated events in the state store, and drains the queue into the sinks.
// costwatch backfill: the same pull over a past range, then delivery, then exit.
// costwatch status: what the state store says about sources, sinks and paid requests.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costwatch::cli {

struct RunOptions {
  std::string config_path;   // empty: the embedded defaults (one source, stdout sink)
  std::string state_path;    // overrides the config's state path
  std::string endpoint_url;  // overrides every source's Cost Explorer endpoint
  bool once = false;         // pull what is due, deliver, exit
  std::string listen;        // serve HTTP here (over the config's server.listen)
  // backfill
  std::string from;
  std::string to;
  std::string source;
};

void AddRunCommands(CLI::App& app, RunOptions& options);

int RunDaemon(const RunOptions& options);
int RunBackfill(const RunOptions& options);
int RunStatus(const RunOptions& options);

}  // namespace costwatch::cli
