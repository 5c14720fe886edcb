// Internal: what a YAML document may make costwatch do before it is read. yaml-cpp shares an
// anchored node between its aliases, so a few hundred bytes can name 10^8 strings (the "billion
// laughs"); walking them took minutes and gigabytes. The document is first scanned as parser
// events, counting what every alias brings in, and refused past the limits.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "config/loader.h"

namespace costwatch::config {

// A configuration is a few kilobytes; a larger file is not one.
inline constexpr size_t kMaxConfigBytes = size_t{1} << 20;  // 1 MiB
// Nodes reached through aliases (*name), each time it is reached: merged defaults and shared
// header maps use tens.
inline constexpr size_t kMaxAliasNodes = 10'000;
// Nodes written out (scalars, mappings, sequences): a large configuration has a few thousand.
// 1 MiB of "[a,a,a,...]" is half a million, which yaml-cpp holds in 270 MB.
inline constexpr size_t kMaxNodes = 100'000;

// The first limit `yaml` breaks, at its place: the size (where the 1 MiB ends), the node past
// kMaxNodes, or the alias that goes past kMaxAliasNodes. Syntax errors are left to the parser
// proper.
std::optional<Problem> CheckYamlLimits(std::string_view yaml);

}  // namespace costwatch::config
