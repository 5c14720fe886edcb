// costwatch convert FILE...: recorded GetCostAndUsage answers to CloudEvents on stdout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "events/cost_event.h"

namespace CLI {
class App;
}

namespace costwatch::cli {

struct ConvertOptions {
  std::vector<std::string> files;
  std::string source = std::string(events::kDefaultSource);
  std::string granularity;  // empty: inferred per row
};

void AddConvertCommand(CLI::App& app, ConvertOptions& options);

// Converts every file before writing anything: either all events are printed or, on the first
// bad file, none. Returns the process exit code.
int RunConvert(const ConvertOptions& options);

}  // namespace costwatch::cli
