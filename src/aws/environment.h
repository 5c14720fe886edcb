// Where configuration from the process environment comes from. The AWS credential chain, endpoint
// and retry settings read environment variables; tests hand them a MapEnvironment instead of
// changing the process's own.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace costwatch::aws {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value; an unset variable and one set to "" both count as absent, as in the
  // AWS SDKs.
  [[nodiscard]] virtual std::optional<std::string> get(std::string_view name) const = 0;
};

class ProcessEnvironment final : public Environment {
 public:
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;
};

class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  void set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace costwatch::aws
