#include "sinks/stdout/stdout_sink.h"

#include <cerrno>
#include <cstring>

#include "sinks/json_lines.h"

namespace costwatch::sinks {

DeliveryResult StdoutSink::deliver(std::span<const EventRecord> events) {
  const std::string lines = JsonLines(events);
  std::string_view rest = lines;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return {Outcome::kRetry, std::string("cannot write to stdout: ") + std::strerror(errno),
              std::nullopt};
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return {Outcome::kDelivered, std::to_string(events.size()) + " events written", std::nullopt};
}

}  // namespace costwatch::sinks
