// Internal: walks the YAML tree, converts values and collects every problem with its place.
// Nothing here throws: the loader catches yaml-cpp's exceptions around the whole walk.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/env.h"
#include "config/loader.h"
#include "config/schema.h"

namespace costwatch::config {

class Reader;

// One key of a section: its documentation and how its value lands in the section's target.
template <class T>
struct Field {
  KeySpec spec;
  void (*apply)(Reader& reader, const YAML::Node& value, const std::string& path, T& target);
};

template <class T>
std::vector<KeySpec> SpecsOf(std::span<const Field<T>> fields) {
  std::vector<KeySpec> specs;
  for (const auto& field : fields) specs.push_back(field.spec);
  return specs;
}

class Reader {
 public:
  explicit Reader(const EnvLookup& env) : env_(env) {}

  void Report(const YAML::Mark& at, std::string message);
  void Report(const YAML::Node& at, std::string message) { Report(at.Mark(), std::move(message)); }

  // A scalar with ${VAR} expanded; nullopt (after reporting) when the node is not a scalar or a
  // variable is missing. `shown` is how messages may quote the value: the text as written, or
  // nothing at all for secrets.
  struct Text {
    std::string value;
    std::string shown;
  };
  std::optional<Text> ReadText(const YAML::Node& node, const std::string& path,
                               bool secret = false);

  std::optional<std::string> String(const YAML::Node& node, const std::string& path,
                                    bool secret = false);
  // A source or sink name: [a-z0-9_-]+.
  std::optional<std::string> Name(const YAML::Node& node, const std::string& path);
  std::optional<std::int64_t> Integer(const YAML::Node& node, const std::string& path,
                                      std::int64_t min, std::int64_t max);
  std::optional<bool> Boolean(const YAML::Node& node, const std::string& path);
  std::optional<std::chrono::milliseconds> Duration(const YAML::Node& node, const std::string& path,
                                                    std::chrono::milliseconds min,
                                                    std::chrono::milliseconds max);
  std::optional<std::uint64_t> Size(const YAML::Node& node, const std::string& path,
                                    std::uint64_t min);
  // A local time of day, HH:MM (00:00 to 23:59), as minutes after midnight.
  std::optional<std::chrono::minutes> TimeOfDay(const YAML::Node& node, const std::string& path);
  // An IANA time zone installed in /usr/share/zoneinfo.
  std::optional<std::string> TimeZone(const YAML::Node& node, const std::string& path);

  // A sequence of scalars (a single scalar counts as a list of one), each with its node so that
  // problems point at the item.
  struct Item {
    std::string value;
    std::string shown;
    YAML::Node node;
  };
  std::optional<std::vector<Item>> StringList(const YAML::Node& node, const std::string& path);

  // The key/value pairs of a mapping, refusing duplicate keys; nullopt (reported) when `node` is
  // not a mapping. A null node (`key:` with nothing after it) is an empty mapping.
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  std::optional<std::vector<Entry>> Mapping(const YAML::Node& node, const std::string& path);

  // Applies each key of the mapping `node` through `fields`; refuses unknown keys with a
  // suggestion and reports missing required ones.
  template <class T>
  void Section(const YAML::Node& node, const std::string& path, std::span<const Field<T>> fields,
               T& target) {
    auto entries = Mapping(node, path);
    if (!entries) return;
    for (const auto& entry : *entries) {
      const auto field = std::find_if(fields.begin(), fields.end(),
                                      [&](const Field<T>& f) { return f.spec.key == entry.key; });
      if (field == fields.end()) {
        UnknownKey(entry, path, SpecsOf(fields));
      } else {
        // A scalar under a key the schema marks secret is a secret, whatever its reader says.
        const bool secret_scope = secret_scope_;
        secret_scope_ = secret_scope_ || (field->spec.secret && entry.value.IsScalar());
        field->apply(*this, entry.value, Join(path, entry.key), target);
        secret_scope_ = secret_scope;
      }
    }
    for (const auto& field : fields) {
      if (!field.spec.required) continue;
      const bool present = std::any_of(entries->begin(), entries->end(),
                                       [&](const Entry& e) { return e.key == field.spec.key; });
      if (!present) {
        Report(node,
               "missing required key '" + std::string(field.spec.key) + "' in " + Where(path));
      }
    }
  }

  void UnknownKey(const Entry& entry, const std::string& path, const std::vector<KeySpec>& known);

  static std::string Join(const std::string& path, std::string_view key);
  // How messages name a section: its path, or "the file" for the top level.
  static std::string Where(const std::string& path) { return path.empty() ? "the file" : path; }

  std::vector<Problem> TakeProblems() { return std::move(problems_); }
  std::vector<std::string> TakeEnvironmentValues() { return std::move(environment_values_); }
  // Every value read as a secret, for Config::secret_values.
  std::vector<std::string> TakeSecretValues() { return std::move(secret_values_); }

 private:
  const EnvLookup& env_;
  std::vector<Problem> problems_;
  std::vector<std::string> environment_values_;
  std::vector<std::string> secret_values_;
  bool secret_scope_ = false;
};

}  // namespace costwatch::config
