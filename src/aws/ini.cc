#include "aws/ini.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <utility>

namespace costwatch::aws {
namespace {

// configparser strips with str.strip(); these are the ASCII characters it treats as whitespace.
constexpr std::string_view kSpace = " \t\r\n\v\f";

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

std::string_view TrimRight(std::string_view s) {
  const auto last = s.find_last_not_of(kSpace);
  return last == std::string_view::npos ? std::string_view{} : s.substr(0, last + 1);
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// Python reads the files with universal newlines: "\n", "\r\n" and a lone "\r" all end a line.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

struct Piece {
  std::string text;
  int line = 0;
};

// One key's value while the file is read: its first line and any continuation lines.
struct RawValue {
  int line = 0;
  std::vector<Piece> pieces;
};

struct RawSection {
  std::string name;
  int line = 0;
  std::map<std::string, RawValue, std::less<>> values;
};

class Parser {
 public:
  explicit Parser(std::string_view display_path) : path_(display_path) {}

  Result<std::vector<IniSection>> Parse(std::string_view text);

 private:
  Error LineError(int line, std::string_view what) const {
    return Fail(std::string(path_) + " line " + std::to_string(line) + ": " + std::string(what));
  }
  Result<void> ParseLine(std::string_view line, int lineno);
  Result<void> Finish(const RawSection& raw, IniSection& out) const;

  std::string_view path_;
  std::deque<RawSection> sections_;  // a deque: current_ stays valid as sections are added
  RawSection defaults_{"DEFAULT", 0, {}};
  RawSection* current_ = nullptr;
  RawValue* value_ = nullptr;  // the key a deeper-indented line would continue
  size_t indent_level_ = 0;
};

Result<void> Parser::ParseLine(std::string_view line, int lineno) {
  const std::string_view stripped = Trim(line);
  if (!stripped.empty() && (stripped.front() == '#' || stripped.front() == ';')) return {};
  if (stripped.empty()) {
    // An empty line inside a value is kept (and trailing ones dropped at the end), so a blank
    // line does not end an indented block.
    if (value_ != nullptr) value_->pieces.push_back({"", lineno});
    return {};
  }

  const size_t indent = line.find_first_not_of(kSpace);
  if (value_ != nullptr && indent > indent_level_) {
    value_->pieces.push_back({std::string(stripped), lineno});
    return {};
  }
  indent_level_ = indent;

  const size_t close = stripped.rfind(']');
  if (stripped.front() == '[' && close != std::string_view::npos && close >= 2) {
    std::string name(stripped.substr(1, close - 1));
    value_ = nullptr;
    if (name == "DEFAULT") {
      current_ = &defaults_;
      return {};
    }
    for (const RawSection& s : sections_) {
      if (s.name == name) {
        return LineError(lineno, "section [" + name +
                                     "] appears twice in this file (first on line " +
                                     std::to_string(s.line) + ")");
      }
    }
    sections_.push_back(RawSection{std::move(name), lineno, {}});
    current_ = &sections_.back();
    return {};
  }
  if (current_ == nullptr) {
    return LineError(lineno,
                     "expected a section header such as [default] before the first setting");
  }

  const size_t delim = stripped.find_first_of("=:");
  if (delim == std::string_view::npos) return LineError(lineno, "expected 'key = value'");
  const std::string_view key = TrimRight(stripped.substr(0, delim));
  if (key.empty()) return LineError(lineno, "expected 'key = value' (the key is empty)");
  std::string lowered = AsciiLower(key);
  // The key is not echoed: a malformed line may be a secret with an '=' in it.
  if (auto it = current_->values.find(lowered); it != current_->values.end()) {
    return LineError(lineno, "a key appears twice in section [" + current_->name +
                                 "] (first on line " + std::to_string(it->second.line) + ")");
  }
  RawValue& value = current_->values[std::move(lowered)];
  value.line = lineno;
  value.pieces.push_back({std::string(Trim(stripped.substr(delim + 1))), lineno});
  value_ = &value;
  return {};
}

Result<void> Parser::Finish(const RawSection& raw, IniSection& out) const {
  for (const auto& [key, value] : raw.values) {
    // Trailing empty lines are not part of the value (configparser rstrips the joined value).
    size_t count = value.pieces.size();
    while (count > 1 && value.pieces[count - 1].text.empty()) --count;
    if (count > 1 && value.pieces.front().text.empty()) {
      StringMap nested;
      for (size_t i = 1; i < count; ++i) {
        const Piece& piece = value.pieces[i];
        if (piece.text.empty()) continue;
        const size_t eq = piece.text.find('=');
        if (eq == std::string::npos) {
          return LineError(piece.line,
                           "expected 'key = value' in the nested settings of '" + key + "'");
        }
        nested[std::string(Trim(std::string_view(piece.text).substr(0, eq)))] =
            std::string(Trim(std::string_view(piece.text).substr(eq + 1)));
      }
      out.nested[key] = std::move(nested);
      continue;
    }
    std::string joined = value.pieces.front().text;
    for (size_t i = 1; i < count; ++i) joined += "\n" + value.pieces[i].text;
    out.values[key] = std::move(joined);
  }
  return {};
}

Result<std::vector<IniSection>> Parser::Parse(std::string_view text) {
  int lineno = 0;
  for (std::string_view line : SplitLines(text)) {
    if (auto r = ParseLine(line, ++lineno); !r) return r.error();
  }

  IniSection defaults;
  if (auto r = Finish(defaults_, defaults); !r) return r.error();
  std::vector<IniSection> out;
  out.reserve(sections_.size());
  for (const RawSection& raw : sections_) {
    IniSection section;
    section.name = raw.name;
    if (auto r = Finish(raw, section); !r) return r.error();
    for (const auto& [key, value] : defaults.values) {
      if (!section.nested.contains(key)) section.values.emplace(key, value);
    }
    for (const auto& [key, value] : defaults.nested) {
      if (!section.values.contains(key)) section.nested.emplace(key, value);
    }
    out.push_back(std::move(section));
  }
  return out;
}

}  // namespace

Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view display_path) {
  return Parser(display_path).Parse(text);
}

}  // namespace costwatch::aws
