#include "config/values.h"

#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <limits>
#include <system_error>
#include <utility>

namespace costwatch::config {

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Reads the digits at the front of `text` into `value`; false when there are none or they
// overflow.
bool TakeNumber(std::string_view& text, std::uint64_t& value) {
  size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 0) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + digits, value);
  if (error != std::errc() || end != text.data() + digits) return false;
  text.remove_prefix(digits);
  return true;
}

bool MultiplyFits(std::uint64_t a, std::uint64_t b, std::uint64_t& product) {
  if (b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b) return false;
  product = a * b;
  return true;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const auto invalid = [&] {
    return Fail("\"" + std::string(text) +
                "\" is not a duration (a number and a unit: ms, s, m, h, d, as in 30s, 5m, "
                "1h30m)");
  };
  // Units longest first so that "ms" is not read as minutes followed by garbage.
  constexpr std::array<std::pair<std::string_view, std::uint64_t>, 5> kUnits = {
      {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}}};
  std::string_view rest = text;
  if (rest.empty()) return invalid();
  // Cap at 100 years: far beyond any sensible setting, far below an overflow.
  constexpr std::uint64_t kMax = 100ULL * 365 * 86'400'000;
  std::uint64_t total = 0;
  while (!rest.empty()) {
    std::uint64_t number = 0;
    if (!TakeNumber(rest, number)) return invalid();
    std::uint64_t unit = 0;
    for (const auto& [name, millis] : kUnits) {
      if (rest.substr(0, name.size()) == name) {
        unit = millis;
        rest.remove_prefix(name.size());
        break;
      }
    }
    if (unit == 0) return invalid();
    std::uint64_t part = 0;
    if (!MultiplyFits(number, unit, part) || part > kMax || total + part > kMax) {
      return Fail("duration \"" + std::string(text) + "\" is too long");
    }
    total += part;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total));
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  auto millis = static_cast<std::uint64_t>(duration.count());
  if (millis == 0) return "0s";
  constexpr std::array<std::pair<std::string_view, std::uint64_t>, 5> kUnits = {
      {{"d", 86'400'000}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}, {"ms", 1}}};
  std::string out;
  for (const auto& [name, unit] : kUnits) {
    if (millis >= unit) {
      out += std::to_string(millis / unit);
      out += name;
      millis %= unit;
    }
  }
  return out;
}

Result<std::uint64_t> ParseSize(std::string_view text) {
  const auto invalid = [&] {
    return Fail("\"" + std::string(text) +
                "\" is not a size (bytes, or a number and a unit such as 100MB or 1GiB)");
  };
  std::string_view rest = text;
  std::uint64_t number = 0;
  if (!TakeNumber(rest, number)) return invalid();
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  constexpr std::array<std::pair<std::string_view, std::uint64_t>, 9> kUnits = {{
      {"", 1},
      {"b", 1},
      {"kb", 1000},
      {"mb", 1000 * 1000},
      {"gb", 1000 * 1000 * 1000},
      {"tb", 1000ULL * 1000 * 1000 * 1000},
      {"kib", 1ULL << 10},
      {"mib", 1ULL << 20},
      {"gib", 1ULL << 30},
  }};
  const std::string unit = Lower(rest);
  std::uint64_t multiplier = 0;
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) multiplier = factor;
  }
  if (unit == "tib") multiplier = 1ULL << 40;
  if (multiplier == 0) return invalid();
  std::uint64_t bytes = 0;
  if (!MultiplyFits(number, multiplier, bytes)) {
    return Fail("size \"" + std::string(text) + "\" is too large");
  }
  return bytes;
}

std::string FormatSize(std::uint64_t bytes) {
  constexpr std::array<std::pair<std::string_view, int>, 4> kUnits = {
      {{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}}};
  for (const auto& [name, shift] : kUnits) {
    const std::uint64_t unit = 1ULL << shift;
    if (bytes >= unit && bytes % unit == 0) return std::to_string(bytes / unit) + std::string(name);
  }
  return std::to_string(bytes) + "B";
}

Result<std::chrono::minutes> ParseClock(std::string_view text) {
  const bool shape = text.size() == 5 && IsDigit(text[0]) && IsDigit(text[1]) && text[2] == ':' &&
                     IsDigit(text[3]) && IsDigit(text[4]);
  const int hours = shape ? (text[0] - '0') * 10 + (text[1] - '0') : -1;
  const int minutes = shape ? (text[3] - '0') * 10 + (text[4] - '0') : -1;
  if (!shape || hours > 23 || minutes > 59) {
    return Fail("\"" + std::string(text) +
                "\" is not a time of day in HH:MM form (00:00 to 23:59)");
  }
  return std::chrono::minutes(hours * 60 + minutes);
}

std::string FormatClock(std::chrono::minutes minutes) {
  const auto count = minutes.count();
  std::string out;
  out += static_cast<char>('0' + count / 600);
  out += static_cast<char>('0' + count / 60 % 10);
  out += ':';
  out += static_cast<char>('0' + count % 60 / 10);
  out += static_cast<char>('0' + count % 10);
  return out;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool TimeZoneExists(std::string_view name, const std::string& zoneinfo_dir) {
  // Only zone-name characters, and no way out of the directory.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool allowed = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '_' ||
                         c == '-' || c == '+';
    if (!allowed) return false;
  }
  std::error_code error;
  return std::filesystem::is_regular_file(std::filesystem::path(zoneinfo_dir) / std::string(name),
                                          error);
}

}  // namespace costwatch::config
