// Reading and checking costwatch.yaml. `costwatch config check` shows every problem at once;
// `costwatch run` refuses to start on any. Neither touches the network.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/env.h"
#include "util/result.h"

namespace costwatch::config {

// One thing wrong with the file, at a 1-based line and column (0 when it has no place, such as
// an unreadable file). Messages never contain a secret or a value read from the environment.
struct Problem {
  int line = 0;
  int column = 0;
  std::string message;
};

struct CheckResult {
  Config config;                  // meaningful only when `problems` is empty
  std::vector<Problem> problems;  // in file order

  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Checks YAML text as if it were a file named by the caller (problems carry no file name).
CheckResult CheckConfigText(std::string_view yaml, const EnvLookup& env);
CheckResult CheckConfig(const std::string& path, const EnvLookup& env);

// The configuration, or an error with the first problem and how many more there are.
Result<Config> LoadConfig(const std::string& path, const EnvLookup& env);

// "costwatch.yaml:12:5: unknown key 'granularty' in sources[0] (did you mean 'granularity'?)"
std::string FormatProblem(std::string_view file, const Problem& problem);
// One problem per line, each ending in a newline.
std::string FormatProblems(std::string_view file, std::span<const Problem> problems);

}  // namespace costwatch::config
