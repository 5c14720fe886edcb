#include "config/reader.h"

#include <charconv>
#include <system_error>

#include "config/values.h"
#include "util/text.h"

namespace costwatch::config {

void Reader::Report(const YAML::Mark& at, std::string message) {
  // yaml-cpp counts from 0; editors and compilers from 1. Nodes without a place get 0:0.
  const bool placed = !at.is_null();
  problems_.push_back(
      Problem{placed ? at.line + 1 : 0, placed ? at.column + 1 : 0, std::move(message)});
}

std::string Reader::Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::optional<std::string> Reader::Name(const YAML::Node& node, const std::string& path) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  if (!IsValidName(text->value)) {
    Report(node, path + ": " + text->shown +
                     " is not a valid name (lower-case letters, digits, '_' and '-')");
    return std::nullopt;
  }
  return text->value;
}

std::optional<Reader::Text> Reader::ReadText(const YAML::Node& node, const std::string& path,
                                             bool secret) {
  // Anything named like a credential is a secret wherever it appears.
  secret = secret || secret_scope_ || IsSecretName(path);
  if (!node.IsScalar()) {
    Report(node, path + (node.IsNull() ? " needs a value" : " must be a single value"));
    return std::nullopt;
  }
  const std::string& raw = node.Scalar();
  auto expanded = ExpandEnv(raw, env_);
  if (!expanded) {
    Report(node, path + ": " + expanded.error().message);
    return std::nullopt;
  }
  const bool from_env = !expanded->environment_values.empty();
  for (auto& value : expanded->environment_values) environment_values_.push_back(std::move(value));
  if (secret && !expanded->value.empty()) secret_values_.push_back(expanded->value);
  // A value from the environment is quoted as written ("${TIMEOUT}"), which reveals only the
  // variable's name; a secret is not quoted at all.
  std::string shown;
  if (!secret) shown = "'" + raw + "'" + (from_env ? " (from the environment)" : "");
  return Text{std::move(expanded->value), std::move(shown)};
}

std::optional<std::string> Reader::String(const YAML::Node& node, const std::string& path,
                                          bool secret) {
  auto text = ReadText(node, path, secret);
  if (!text) return std::nullopt;
  return std::move(text->value);
}

namespace {
// "invalid value for x: <reason>", where the reason quotes the value unless it is secret.
std::string Invalid(const std::string& path, const Reader::Text& text, std::string_view reason) {
  return path + ": " + (text.shown.empty() ? "the value" : text.shown) + " " + std::string(reason);
}
}  // namespace

std::optional<std::int64_t> Reader::Integer(const YAML::Node& node, const std::string& path,
                                            std::int64_t min, std::int64_t max) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const char* begin = text->value.data();
  const char* end = begin + text->value.size();
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (text->value.empty() || error != std::errc() || stop != end) {
    Report(node, Invalid(path, *text, "is not a whole number"));
    return std::nullopt;
  }
  if (value < min || value > max) {
    Report(node, path + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", not " + std::to_string(value));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Reader::Boolean(const YAML::Node& node, const std::string& path) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  if (text->value == "true") return true;
  if (text->value == "false") return false;
  Report(node, Invalid(path, *text, "is not true or false"));
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> Reader::Duration(const YAML::Node& node,
                                                          const std::string& path,
                                                          std::chrono::milliseconds min,
                                                          std::chrono::milliseconds max) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  auto duration = ParseDuration(text->value);
  if (!duration) {
    Report(node, Invalid(path, *text,
                         "is not a duration (a number and a unit: ms, s, m, h, d, as in 30s, "
                         "5m, 1h30m)"));
    return std::nullopt;
  }
  if (*duration < min || *duration > max) {
    Report(node, path + " must be between " + FormatDuration(min) + " and " + FormatDuration(max) +
                     ", not " + FormatDuration(*duration));
    return std::nullopt;
  }
  return *duration;
}

std::optional<std::chrono::minutes> Reader::TimeOfDay(const YAML::Node& node,
                                                      const std::string& path) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  auto clock = ParseClock(text->value);
  if (!clock) {
    Report(node,
           path + ": " + text->shown + " is not a time of day in HH:MM form (00:00 to 23:59)");
    return std::nullopt;
  }
  return *clock;
}

std::optional<std::string> Reader::TimeZone(const YAML::Node& node, const std::string& path) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  if (!TimeZoneExists(text->value)) {
    Report(node, path + ": " + text->shown +
                     " is not a time zone installed in /usr/share/zoneinfo (an IANA name such as "
                     "Europe/Paris or UTC)");
    return std::nullopt;
  }
  return std::move(text->value);
}

std::optional<std::uint64_t> Reader::Size(const YAML::Node& node, const std::string& path,
                                          std::uint64_t min) {
  auto text = ReadText(node, path);
  if (!text) return std::nullopt;
  auto size = ParseSize(text->value);
  if (!size) {
    Report(node, Invalid(path, *text,
                         "is not a size (bytes, or a number and a unit such as "
                         "100MB or 1GiB)"));
    return std::nullopt;
  }
  if (*size < min) {
    Report(node, path + " must be at least " + FormatSize(min));
    return std::nullopt;
  }
  return *size;
}

std::optional<std::vector<Reader::Item>> Reader::StringList(const YAML::Node& node,
                                                            const std::string& path) {
  std::vector<Item> items;
  if (node.IsScalar()) {
    auto text = ReadText(node, path);
    if (!text) return std::nullopt;
    items.push_back(Item{std::move(text->value), std::move(text->shown), node});
    return items;
  }
  if (!node.IsSequence()) {
    Report(node, path + " must be a list");
    return std::nullopt;
  }
  bool ok = true;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    auto text = ReadText(item, path + "[" + std::to_string(i) + "]");
    if (!text) {
      ok = false;
      continue;
    }
    items.push_back(Item{std::move(text->value), std::move(text->shown), item});
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<std::vector<Reader::Entry>> Reader::Mapping(const YAML::Node& node,
                                                          const std::string& path) {
  std::vector<Entry> entries;
  if (node.IsNull()) return entries;
  if (!node.IsMap()) {
    Report(node, Where(path) + " must be a mapping of keys");
    return std::nullopt;
  }
  for (const auto& pair : node) {
    if (!pair.first.IsScalar()) {
      Report(pair.first, "keys in " + path + " must be plain names");
      continue;
    }
    const std::string& key = pair.first.Scalar();
    const auto first =
        std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
    if (first != entries.end()) {
      Report(pair.first, "duplicate key '" + key + "' in " + Where(path) + " (first at line " +
                             std::to_string(first->key_node.Mark().line + 1) + ")");
      continue;
    }
    entries.push_back(Entry{key, pair.first, pair.second});
  }
  return entries;
}

void Reader::UnknownKey(const Entry& entry, const std::string& path,
                        const std::vector<KeySpec>& known) {
  std::vector<std::string_view> names;
  names.reserve(known.size());
  for (const auto& spec : known) names.push_back(spec.key);
  const std::string guess = ClosestMatch(entry.key, names);
  Report(entry.key_node, "unknown key '" + entry.key + "'" +
                             (path.empty() ? std::string(" at the top level") : " in " + path) +
                             (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
}

}  // namespace costwatch::config
