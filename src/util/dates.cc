#include "util/dates.h"

#include <cstdio>

namespace costwatch {
namespace {

bool ReadDigits(std::string_view text, size_t pos, size_t count, int& value) {
  value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<std::chrono::sys_days> ParseDate(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text, 0, 4, y) ||
      !ReadDigits(text, 5, 2, m) || !ReadDigits(text, 8, 2, d)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{y},
                                         std::chrono::month{static_cast<unsigned>(m)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::optional<std::chrono::sys_seconds> ParseUtcTimestamp(std::string_view text) {
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (text.size() != 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != 'Z' || !ReadDigits(text, 11, 2, hh) || !ReadDigits(text, 14, 2, mm) ||
      !ReadDigits(text, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
    return std::nullopt;
  }
  auto day = ParseDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  return *day + std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

std::string FormatDate(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char buffer[16];
  (void)std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                      static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

std::string FormatUtcTimestamp(std::chrono::sys_seconds time) {
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::hh_mm_ss clock(time - day);
  char buffer[16];
  (void)std::snprintf(
      buffer, sizeof buffer, "T%02d:%02d:%02dZ", static_cast<int>(clock.hours().count()),
      static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
  return FormatDate(day) + buffer;
}

std::chrono::sys_days TodayUtc() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

}  // namespace costwatch
