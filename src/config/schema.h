// The declarative schema of costwatch.yaml: every key of every section with its type, default and
// help, in the style of fluent-bit's config maps. The loader refuses any key not listed here
// (with a "did you mean"), and a test checks that docs/config.md documents each one.
#pragma once

#include <string_view>
#include <vector>

namespace costwatch::config {

struct KeySpec {
  std::string_view key;
  std::string_view type;           // "string", "integer", "duration", ... as docs/config.md says
  std::string_view default_value;  // "" when there is none
  std::string_view help;
  bool required = false;
  bool secret = false;  // never printed, not even in error messages
};

struct SectionSpec {
  std::string_view path;  // "(top level)", "schedule", "sources[]", "sinks[] (type: http)", ...
  std::vector<KeySpec> keys;
};

// Every section, in the order docs/config.md presents them.
std::vector<SectionSpec> Schema();

// Header names and keys that carry credentials: their values are never printed.
bool IsSecretName(std::string_view name);

}  // namespace costwatch::config
