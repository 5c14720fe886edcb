// Drains the outbox into the sinks: the one place that decides about batching, retries,
// backoff and dead letters, the same for every sink.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sinks/sink.h"
#include "store/state_store.h"
#include "util/result.h"
#include "util/secret_scrubber.h"

namespace costwatch::daemon {

struct DeliveryPolicy {
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
};

struct DrainCounts {
  long long delivered = 0;
  long long retried = 0;  // entries whose delivery failed for now and waits for a retry
  long long dead_lettered = 0;
};

struct DrainSummary : DrainCounts {
  std::map<std::string, DrainCounts, std::less<>> by_sink;  // sinks that had something to do
};

class DeliveryEngine {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // Every failure message goes through `secrets` before it is stored (last error, dead
  // letters), whatever sink or notifier wrote it.
  DeliveryEngine(store::StateStore& store, std::vector<std::unique_ptr<sinks::Sink>> sinks,
                 DeliveryPolicy policy, Clock clock, std::function<double()> random01,
                 SecretScrubber secrets = SecretScrubber());

  // Delivers everything that is due now, sink by sink, until each sink's due entries are
  // delivered, dead-lettered or postponed, or until `stop` is set. An entry leaves the outbox
  // only after its sink acknowledged it, so a crash re-sends (same id) rather than loses.
  Result<DrainSummary> drain(const std::atomic<bool>& stop);

  [[nodiscard]] std::vector<std::string> sink_names() const;

 private:
  Result<void> drain_sink(sinks::Sink& sink, const std::atomic<bool>& stop, DrainSummary& summary);
  Result<void> settle(sinks::Sink& sink, std::span<const store::OutboxEntry> entries,
                      const sinks::DeliveryResult& result, DrainSummary& summary);
  std::chrono::milliseconds backoff(int attempts,
                                    std::optional<std::chrono::milliseconds> retry_after) const;

  store::StateStore& store_;
  std::vector<std::unique_ptr<sinks::Sink>> sinks_;
  DeliveryPolicy policy_;
  Clock clock_;
  std::function<double()> random01_;
  SecretScrubber secrets_;
};

}  // namespace costwatch::daemon
