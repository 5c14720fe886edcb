// The value syntaxes of the configuration file: durations, sizes, clock times, names, zones.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch::config {

// "500ms", "30s", "5m", "6h", "1d", or several run together ("1h30m"). A bare number is refused:
// seconds or minutes would be a guess.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// "5m", "1h30m", "250ms": the shortest exact spelling.
std::string FormatDuration(std::chrono::milliseconds duration);

// Bytes: "1048576", "100MB" (10^6), "1GiB" (2^30); units B, kB/KB, MB, GB, TB, KiB, MiB, GiB,
// TiB, case-insensitive.
Result<std::uint64_t> ParseSize(std::string_view text);

// "100MiB" when exact in a binary unit, else bytes.
std::string FormatSize(std::uint64_t bytes);

// "HH:MM" on a 24-hour clock, as minutes after midnight.
Result<std::chrono::minutes> ParseClock(std::string_view text);
std::string FormatClock(std::chrono::minutes minutes);

// Source and sink names: [a-z0-9_-]+, because they become file names and metric labels.
bool IsValidName(std::string_view name);

// Whether `name` is an IANA zone installed under `zoneinfo_dir` ("Europe/Paris", "UTC").
bool TimeZoneExists(std::string_view name, const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

}  // namespace costwatch::config
