// The one small interface every sink implements. Sinks only move bytes: batching, retries with
// backoff, the outbox and dead letters wrap every sink the same way in the delivery engine, as
// the engine (not the plugin) owns retries in fluent-bit.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/result.h"

namespace costwatch::sinks {

// One event as stored in the outbox: its id and its structured-mode JSON (one line, no
// trailing newline), exactly as docs/events.md describes it.
struct EventRecord {
  std::string_view id;
  std::string_view json;
};

enum class Outcome {
  kDelivered,  // the receiver has them all
  kRetry,      // a temporary failure: try the same events again later
  kRejected,   // the receiver refuses them (HTTP 4xx): retrying cannot help; dead-letter them
};

struct DeliveryResult {
  Outcome outcome = Outcome::kDelivered;
  std::string message;  // for logs and `costwatch status`; never contains secrets
  std::optional<std::chrono::milliseconds> retry_after;  // the receiver's Retry-After, if any
};

class Sink {
 public:
  virtual ~Sink() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // How many events one deliver() call may carry (batch mode); 1 for per-event protocols.
  [[nodiscard]] virtual size_t max_batch() const { return 1; }
  // Delivers the events, in order. All or nothing from the caller's point of view: on kRetry
  // or kRejected none of them count as delivered.
  virtual DeliveryResult deliver(std::span<const EventRecord> events) = 0;
};

}  // namespace costwatch::sinks
