// costwatch config check FILE: every problem of a configuration file, without running anything.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costwatch::cli {

struct ConfigOptions {
  std::string file;
};

// Adds `config` with its one subcommand, `check`.
void AddConfigCommand(CLI::App& app, ConfigOptions& options);

// Checks the file without any network call. Valid: a short summary on stdout (secrets
// redacted) and 0. Invalid: every problem on stderr, one per line as FILE:LINE:COLUMN: message,
// and 2.
int RunConfigCheck(const ConfigOptions& options);

}  // namespace costwatch::cli
