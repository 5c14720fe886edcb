#include "config/env.h"

#include <algorithm>
#include <cstdlib>

namespace costwatch::config {

EnvLookup ProcessEnvLookup() {
  return [](const std::string& name) -> std::optional<std::string> {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once at startup, nobody calls setenv.
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

namespace {

bool IsNameStart(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool IsNameChar(char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9');
}

std::string JoinMissing(const std::vector<std::string>& missing) {
  std::string names;
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) names += i + 1 == missing.size() ? " and " : ", ";
    names += missing[i];
  }
  return (missing.size() == 1 ? "environment variable " : "environment variables ") + names +
         (missing.size() == 1 ? " is not set" : " are not set");
}

}  // namespace

Result<Expanded> ExpandEnv(std::string_view text, const EnvLookup& env) {
  Expanded out;
  std::vector<std::string> missing;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c != '$' || i + 1 == text.size()) {
      out.value += c;
      ++i;
      continue;
    }
    if (text[i + 1] == '$') {
      out.value += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') {
      out.value += c;
      ++i;
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) return Fail("unterminated ${ (write $$ for a literal $)");
    const std::string_view inside = text.substr(i + 2, close - i - 2);
    const size_t operator_at = inside.find(":-");
    const std::string name(inside.substr(0, operator_at));
    if (name.empty() || !IsNameStart(name[0]) ||
        !std::all_of(name.begin(), name.end(), IsNameChar)) {
      // The reference is written in the file, so quoting it reveals nothing secret.
      return Fail("\"${" + std::string(inside) +
                  "}\" is not a variable reference (${NAME} or ${NAME:-default})");
    }
    const std::optional<std::string> value = env(name);
    if (operator_at != std::string_view::npos) {
      if (value && !value->empty()) {
        out.value += *value;
        out.environment_values.push_back(*value);
      } else {
        out.value += inside.substr(operator_at + 2);
      }
    } else if (value) {
      out.value += *value;
      if (!value->empty()) out.environment_values.push_back(*value);
    } else if (std::find(missing.begin(), missing.end(), name) == missing.end()) {
      missing.push_back(name);
    }
    i = close + 1;
  }
  if (!missing.empty()) return Fail(JoinMissing(missing));
  return out;
}

}  // namespace costwatch::config
