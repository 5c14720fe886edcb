// The text `costwatch status` prints: sources, sinks, dead letters and paid requests.
#pragma once

#include <span>
#include <string>

#include "store/state_store.h"

namespace costwatch::cli {

std::string FormatStatus(const std::string& state_path, const store::StoreStatus& status,
                         std::span<const store::DeadLetter> dead_letters);

// Cents as dollars: 123 -> "$1.23". Integer arithmetic: money never goes through double.
std::string FormatCents(std::int64_t cents);

}  // namespace costwatch::cli
