// The Prometheus text exposition format 0.0.4, written by hand (bookworm packages no
// prometheus-cpp, and the format is small): families with # HELP and # TYPE, samples with
// escaped label values. Values are text so that exact decimals are never turned into double.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace costwatch::metrics {

using Labels = std::vector<std::pair<std::string_view, std::string>>;

class Exposition {
 public:
  // Starts a family. Its # HELP and # TYPE lines are written with its first sample, so a family
  // without samples leaves no trace. Each name once per exposition; its samples follow at once.
  void family(std::string_view name, std::string_view type, std::string_view help);
  // One sample of the current family; `value` is a number in Prometheus's syntax.
  void sample(const Labels& labels, std::string_view value);

  [[nodiscard]] std::string take() { return std::move(text_); }

 private:
  std::string text_;
  std::string name_;
  std::string header_;  // of the current family, until its first sample
};

// \ " and line feed escaped, as label values need them.
std::string EscapeLabelValue(std::string_view value);
// \ and line feed escaped, as HELP text needs them.
std::string EscapeHelp(std::string_view help);
// Seconds since the Unix epoch with millisecond precision, e.g. "1732900000.123".
std::string FormatSeconds(std::chrono::system_clock::time_point time);

}  // namespace costwatch::metrics
