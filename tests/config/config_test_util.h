// Helpers for the config tests: YAML from strings, the environment from a map.
#pragma once

#include <map>
#include <string>

#include "config/loader.h"

namespace costwatch::config::testing {

inline EnvLookup MapEnv(std::map<std::string, std::string> vars = {}) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline CheckResult Check(const std::string& yaml, std::map<std::string, std::string> vars = {}) {
  return CheckConfigText(yaml, MapEnv(std::move(vars)));
}

// Every problem, formatted as `config check` prints them, for readable failures.
inline std::string Problems(const CheckResult& result) {
  return FormatProblems("costwatch.yaml", result.problems);
}

// The smallest valid file, for tests that add one thing to it.
inline constexpr const char* kMinimalSources = "sources:\n  - name: main\n";
inline constexpr const char* kMinimalSinks = "sinks:\n  - name: out\n    type: stdout\n";

}  // namespace costwatch::config::testing
