// Small text helpers shared by the parsers and the CLI.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace costwatch {

// Splits on `separator`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view text, char separator);

std::string_view Trim(std::string_view text);

// "UNBLENDED_COST"-style and "UnblendedCost"-style names to lowerCamelCase: "unblendedCost".
std::string LowerCamelCase(std::string_view name);

// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo. Used for "did you mean" in error messages.
std::string ClosestMatch(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace costwatch
