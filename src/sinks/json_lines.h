// Events as JSON Lines, the format of the stdout and file sinks.
#pragma once

#include <span>
#include <string>

#include "sinks/sink.h"

namespace costwatch::sinks {

// One event per line, each line ending in '\n', built in one buffer so a batch is written
// with one write(): whole or not at all.
inline std::string JsonLines(std::span<const EventRecord> events) {
  size_t total = 0;
  for (const auto& event : events) total += event.json.size() + 1;
  std::string lines;
  lines.reserve(total);
  for (const auto& event : events) {
    lines += event.json;
    lines += '\n';
  }
  return lines;
}

}  // namespace costwatch::sinks
