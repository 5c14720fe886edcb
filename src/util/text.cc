#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace costwatch {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string LowerCamelCase(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  const bool snake =
      name.find('_') != std::string_view::npos ||
      std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::islower(c); });
  bool upper_next = false;
  for (char raw : name) {
    const auto c = static_cast<unsigned char>(raw);
    if (c == '_') {
      upper_next = !out.empty();
      continue;
    }
    if (out.empty()) {
      out += static_cast<char>(std::tolower(c));
    } else if (snake) {
      out += static_cast<char>(upper_next ? std::toupper(c) : std::tolower(c));
    } else {
      out += raw;
    }
    upper_next = false;
  }
  return out;
}

namespace {
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t substitute =
          diagonal + (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]))
                          ? 0
                          : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}
}  // namespace

std::string ClosestMatch(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (auto candidate : candidates) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return std::string(best);
}

}  // namespace costwatch
