// Parsing the RFC 3339 timestamps that credential sources use for "Expiration".
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace costwatch::aws {

// "2024-05-01T12:00:00Z", with optional fractional seconds and a "Z" or "+hh:mm"/"-hh:mm"
// offset; 't'/'z' and a space for 'T' are accepted as RFC 3339 allows. std::nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

}  // namespace costwatch::aws
