// The text `costwatch status` prints: sources, sinks, notifiers, alarms, digests, dead letters
// and paid requests.
#pragma once

#include <span>
#include <string>
#include <utility>

#include "store/state_store.h"

namespace costwatch::cli {

std::string FormatStatus(const std::string& state_path, const store::StoreStatus& status,
                         std::span<const store::DeadLetter> dead_letters,
                         std::span<const store::AlarmState> alarms,
                         std::span<const std::pair<std::string, std::string>> digests);

// Each alarm's state, since when, and why, two lines per alarm.
std::string FormatAlarms(std::span<const store::AlarmState> alarms);

// Cents as dollars: 123 -> "$1.23". Integer arithmetic: money never goes through double.
std::string FormatCents(std::int64_t cents);

}  // namespace costwatch::cli
