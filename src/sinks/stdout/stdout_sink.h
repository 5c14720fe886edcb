// Writes events to standard output as JSON Lines, like `costwatch fetch`: for piping the
// daemon into another program or a container's log collector.
#pragma once

#include <unistd.h>

#include <string>

#include "sinks/sink.h"

namespace costwatch::sinks {

class StdoutSink final : public Sink {
 public:
  // `fd` is for tests; the sink never closes it.
  explicit StdoutSink(std::string name, int fd = STDOUT_FILENO) : name_(std::move(name)), fd_(fd) {}

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] size_t max_batch() const override { return 1000; }
  // One write per batch. A failed write (a closed pipe) is kRetry: the reader may come back,
  // and the events are not at fault. Lines already written by a partial write are not
  // taken back; consumers deduplicate by id.
  DeliveryResult deliver(std::span<const EventRecord> events) override;

 private:
  std::string name_;
  int fd_;
};

}  // namespace costwatch::sinks
