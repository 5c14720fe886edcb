// ${VAR} and ${VAR:-default} in configuration values, so that tokens live in the environment
// (a systemd credential, a Kubernetes secret) rather than in the file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::config {

// The value of an environment variable, or nullopt when it is unset. Tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// getenv(), for the real process.
EnvLookup ProcessEnvLookup();

struct Expanded {
  std::string value;
  // The substituted values, in order. They may be secrets: callers never print them.
  std::vector<std::string> environment_values;
};

// Expands every ${NAME} (NAME must be set; set to "" counts as set) and ${NAME:-default} (the
// default when NAME is unset or empty, used verbatim). "$$" is a literal "$"; any other "$" is
// kept as it is. The error names the missing variables and never contains a value.
Result<Expanded> ExpandEnv(std::string_view text, const EnvLookup& env);

}  // namespace costwatch::config
