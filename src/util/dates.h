// The two time formats Cost Explorer uses: dates (2023-01-27) and UTC hours
// (2023-01-27T05:00:00Z).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace costwatch {

// A valid calendar date in YYYY-MM-DD form, else nullopt.
std::optional<std::chrono::sys_days> ParseDate(std::string_view text);

// YYYY-MM-DDThh:mm:ssZ (Cost Explorer's hourly form), else nullopt.
std::optional<std::chrono::sys_seconds> ParseUtcTimestamp(std::string_view text);

std::string FormatDate(std::chrono::sys_days day);

// 2023-01-27T05:00:00Z.
std::string FormatUtcTimestamp(std::chrono::sys_seconds time);

std::chrono::sys_days TodayUtc();

}  // namespace costwatch
