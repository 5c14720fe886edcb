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

// Prints the events of each file, in order, once the whole file has been read and checked: a
// bad file prints none of its events and stops the command with an error naming it (events of
// the files before it have been printed). Returns the process exit code.
int RunConvert(const ConvertOptions& options);

}  // namespace costwatch::cli
