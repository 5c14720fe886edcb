// costwatch fetch: one GetCostAndUsage query, every page, as CloudEvents on stdout.
#pragma once

#include <string>
#include <vector>

#include "events/cost_event.h"

namespace CLI {
class App;
}

namespace costwatch::cli {

struct FetchOptions {
  std::string start;  // default: yesterday (UTC)
  std::string end;    // default: the day after start
  std::string granularity = "DAILY";
  std::vector<std::string> metrics = {"AmortizedCost"};
  std::vector<std::string> group_by = {"SERVICE"};
  bool no_group_by = false;
  std::string filter;
  std::string profile;
  std::string endpoint_url;
  std::string source = std::string(events::kDefaultSource);
  double timeout_seconds = 60;
  bool quiet = false;
};

void AddFetchCommand(CLI::App& app, FetchOptions& options);

// Returns the process exit code.
int RunFetch(const FetchOptions& options);

}  // namespace costwatch::cli
