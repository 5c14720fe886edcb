#include "metrics/exposition.h"

#include <cstdio>

namespace costwatch::metrics {

void Exposition::family(std::string_view name, std::string_view type, std::string_view help) {
  name_ = std::string(name);
  header_ = "# HELP " + name_ + " " + EscapeHelp(help) + "\n# TYPE " + name_ + " " +
            std::string(type) + "\n";
}

void Exposition::sample(const Labels& labels, std::string_view value) {
  text_ += header_;
  header_.clear();
  text_ += name_;
  if (!labels.empty()) {
    text_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) text_ += ',';
      text_ += labels[i].first;
      text_ += "=\"";
      text_ += EscapeLabelValue(labels[i].second);
      text_ += '"';
    }
    text_ += '}';
  }
  text_ += ' ';
  text_ += value;
  text_ += '\n';
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatSeconds(std::chrono::system_clock::time_point time) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const long long seconds = ms / 1000;
  const long long millis = ms % 1000;
  if (ms < 0) return std::to_string(ms / 1000);  // before 1970: whole seconds are enough
  char fraction[8];
  std::snprintf(fraction, sizeof fraction, ".%03lld", millis);
  return std::to_string(seconds) + fraction;
}

}  // namespace costwatch::metrics
