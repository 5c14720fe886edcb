#include "aws/timestamp.h"

namespace costwatch::aws {
namespace {

// Reads exactly `digits` decimal digits at pos.
std::optional<int> Digits(std::string_view text, size_t pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + digits; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  // YYYY-MM-DDTHH:MM:SS is 19 characters.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  const auto y = Digits(text, 0, 4);
  const auto mo = Digits(text, 5, 2);
  const auto d = Digits(text, 8, 2);
  const auto h = Digits(text, 11, 2);
  const auto mi = Digits(text, 14, 2);
  const auto s = Digits(text, 17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                            day{static_cast<unsigned>(*d)}};
  // Second 60 is a leap second; treat it as the last moment of the minute.
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;

  size_t pos = 19;
  nanoseconds fraction{0};
  if (text[pos] == '.') {
    ++pos;
    int64_t scale = 100'000'000;
    const size_t first = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += nanoseconds{(text[pos] - '0') * scale};
      scale /= 10;
      ++pos;
    }
    if (pos == first) return std::nullopt;
  }
  if (pos >= text.size()) return std::nullopt;

  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const auto oh = Digits(text, pos + 1, 2);
    const auto om = Digits(text, pos + 4, 2);
    if (!oh || !om || pos + 3 >= text.size() || text[pos + 3] != ':' || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    offset = hours{*oh} + minutes{*om};
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const auto local = sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + fraction;
  return time_point_cast<system_clock::duration>(local - offset);
}

}  // namespace costwatch::aws
