#include "cli/config_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/output.h"
#include "config/loader.h"
#include "config/redact.h"
#include "config/warnings.h"

namespace costwatch::cli {

void AddConfigCommand(CLI::App& app, ConfigOptions& options) {
  auto* config = app.add_subcommand("config", "Work with costwatch.yaml (see docs/config.md)");
  config->require_subcommand(1);
  auto* check = config->add_subcommand(
      "check", "Report every problem of a configuration file with its line and column");
  check->add_option("file", options.file, "The configuration file")->required();
}

int RunConfigCheck(const ConfigOptions& options) {
  const config::CheckResult result = config::CheckConfig(options.file, config::ProcessEnvLookup());
  if (!result.ok()) {
    // FILE:LINE:COLUMN first on each line, as compilers print them, so editors can jump there.
    std::cerr << config::FormatProblems(options.file, result.problems) << std::flush;
    PrintError(options.file + ": " + std::to_string(result.problems.size()) +
               (result.problems.size() == 1 ? " problem" : " problems"));
    return 2;
  }
  const auto& config = result.config;
  for (const auto& warning : config::SecurityWarnings(config)) PrintNote(warning);
  const std::string summary = options.file + ": valid (" + std::to_string(config.sources.size()) +
                              (config.sources.size() == 1 ? " source, " : " sources, ") +
                              std::to_string(config.sinks.size()) +
                              (config.sinks.size() == 1 ? " sink)\n" : " sinks)\n") +
                              config::Summarize(config);
  if (auto written = WriteStdout(summary); !written) {
    PrintError(written.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
