// Text for a terminal: display widths, ellipses, word wrap and sparklines.
#include <algorithm>
#include <array>
#include <vector>

#include "report/render.h"

namespace costwatch::report {
namespace {

// The code point at `text[at]` and how many bytes it takes; invalid bytes count as one.
std::pair<char32_t, std::size_t> Decode(std::string_view text, std::size_t at) {
  const auto byte = static_cast<unsigned char>(text[at]);
  std::size_t length = 1;
  char32_t point = byte;
  if (byte >= 0xF0) {
    length = 4;
    point = byte & 0x07U;
  } else if (byte >= 0xE0) {
    length = 3;
    point = byte & 0x0FU;
  } else if (byte >= 0xC0) {
    length = 2;
    point = byte & 0x1FU;
  }
  if (at + length > text.size()) return {byte, 1};
  for (std::size_t i = 1; i < length; ++i)
    point = (point << 6U) | (static_cast<unsigned char>(text[at + i]) & 0x3FU);
  return {point, length};
}

std::size_t Columns(char32_t point) {
  // Combining marks and zero-width characters.
  if ((point >= 0x0300 && point <= 0x036F) || (point >= 0x200B && point <= 0x200F)) return 0;
  // East Asian Wide and Fullwidth (Unicode's EastAsianWidth W and F), the common blocks.
  const bool wide = (point >= 0x1100 && point <= 0x115F) || (point >= 0x2E80 && point <= 0xA4CF) ||
                    (point >= 0xAC00 && point <= 0xD7A3) || (point >= 0xF900 && point <= 0xFAFF) ||
                    (point >= 0xFE30 && point <= 0xFE4F) || (point >= 0xFF00 && point <= 0xFF60) ||
                    (point >= 0xFFE0 && point <= 0xFFE6) ||
                    (point >= 0x1F300 && point <= 0x1F64F) ||
                    (point >= 0x20000 && point <= 0x3FFFD);
  return wide ? 2 : 1;
}

constexpr std::array<std::string_view, 8> kBlocks = {"\u2581", "\u2582", "\u2583", "\u2584",
                                                     "\u2585", "\u2586", "\u2587", "\u2588"};

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto [point, length] = Decode(text, at);
    width += Columns(point);
    at += length;
  }
  return width;
}

std::string FitWidth(std::string_view text, std::size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string out;
  std::size_t used = 0;
  for (std::size_t at = 0; at < text.size();) {
    const auto [point, length] = Decode(text, at);
    if (used + Columns(point) > width - 1) break;  // one column for the ellipsis
    used += Columns(point);
    out.append(text.substr(at, length));
    at += length;
  }
  return out + "\u2026";
}

std::string Wrap(std::string_view text, std::size_t width, std::string_view indent) {
  const std::size_t room = width > DisplayWidth(indent) ? width - DisplayWidth(indent) : 1;
  std::string out;
  std::string line;
  const auto flush = [&] {
    out.append(indent).append(line).append("\n");
    line.clear();
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t space = std::min(text.find(' ', start), text.size());
    const std::string word = FitWidth(text.substr(start, space - start), room);
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) > room) flush();
    if (!line.empty()) line += ' ';
    line += word;
    start = space + 1;
  }
  if (!line.empty()) flush();
  return out;
}

std::string Sparkline(std::span<const Decimal> values, std::size_t width) {
  std::vector<Decimal> buckets;
  if (values.size() <= width) {
    buckets.assign(values.begin(), values.end());
  } else {
    buckets.resize(width);
    for (std::size_t i = 0; i < values.size(); ++i) buckets[i * width / values.size()] += values[i];
  }
  Decimal low;
  Decimal high;
  for (const auto& value : buckets) {
    low = std::min(low, value);
    high = std::max(high, value);
  }
  std::string out;
  const Decimal range = high - low;
  const Decimal steps = Decimal::FromInteger(kBlocks.size() - 1);
  for (const auto& value : buckets) {
    std::size_t level = 0;
    if (!range.is_zero()) {
      // Rounded to a whole step: 0 to 7.
      level = std::stoul(((value - low) * steps).DividedBy(range, 0).ToString());
    }
    out += kBlocks.at(level);
  }
  return out;
}

}  // namespace costwatch::report
