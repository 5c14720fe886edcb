#include "daemon/delivery.h"

#include <algorithm>
#include <cmath>

namespace costwatch::daemon {
namespace {

std::vector<std::int64_t> Seqs(std::span<const store::OutboxEntry> entries) {
  std::vector<std::int64_t> seqs;
  seqs.reserve(entries.size());
  for (const auto& entry : entries) seqs.push_back(entry.seq);
  return seqs;
}

}  // namespace

DeliveryEngine::DeliveryEngine(store::StateStore& store,
                               std::vector<std::unique_ptr<sinks::Sink>> sinks,
                               DeliveryPolicy policy, Clock clock, std::function<double()> random01,
                               SecretScrubber secrets)
    : store_(store),
      sinks_(std::move(sinks)),
      policy_(policy),
      clock_(std::move(clock)),
      random01_(std::move(random01)),
      secrets_(std::move(secrets)) {}

std::vector<std::string> DeliveryEngine::sink_names() const {
  std::vector<std::string> names;
  for (const auto& sink : sinks_) names.emplace_back(sink->name());
  return names;
}

Result<DrainSummary> DeliveryEngine::drain(const std::atomic<bool>& stop) {
  DrainSummary summary;
  for (auto& sink : sinks_) {
    if (stop) break;
    const DrainCounts before = summary;
    if (auto ok = drain_sink(*sink, stop, summary); !ok) return ok.error();
    const DrainCounts change{summary.delivered - before.delivered, summary.retried - before.retried,
                             summary.dead_lettered - before.dead_lettered};
    if (change.delivered + change.retried + change.dead_lettered > 0) {
      summary.by_sink[std::string(sink->name())] = change;
    }
  }
  return summary;
}

Result<void> DeliveryEngine::drain_sink(sinks::Sink& sink, const std::atomic<bool>& stop,
                                        DrainSummary& summary) {
  const std::string name(sink.name());
  const size_t batch = std::max<size_t>(1, sink.max_batch());
  std::vector<sinks::EventRecord> records;
  // One batch per claim: the store holds claimed entries until they are settled, so nothing
  // may be claimed that this round will not deliver, postpone or dead-letter.
  while (!stop) {
    auto entries = store_.claim(name, batch, clock_());
    if (!entries) return entries.error();
    if (entries->empty()) return {};
    records.clear();
    for (const auto& entry : *entries) records.push_back({entry.event_id, entry.event_json});
    const auto result = sink.deliver(records);
    if (auto ok = settle(sink, *entries, result, summary); !ok) return ok;
    // A sink that asks to wait gets no more requests this round.
    if (result.outcome == sinks::Outcome::kRetry) return {};
  }
  return {};
}

Result<void> DeliveryEngine::settle(sinks::Sink& sink, std::span<const store::OutboxEntry> entries,
                                    const sinks::DeliveryResult& result, DrainSummary& summary) {
  const std::string name(sink.name());
  const auto now = clock_();
  switch (result.outcome) {
    case sinks::Outcome::kDelivered:
      summary.delivered += static_cast<long long>(entries.size());
      return store_.mark_delivered(name, Seqs(entries), now);
    case sinks::Outcome::kRetry: {
      int attempts = 0;
      for (const auto& entry : entries) attempts = std::max(attempts, entry.attempts);
      summary.retried += static_cast<long long>(entries.size());
      return store_.mark_retry(name, Seqs(entries), now + backoff(attempts, result.retry_after),
                               secrets_.Scrub(result.message), now);
    }
    case sinks::Outcome::kRejected:
      break;
  }
  if (entries.size() == 1) {
    ++summary.dead_lettered;
    return store_.dead_letter(name, Seqs(entries), secrets_.Scrub(result.message), now);
  }
  // A rejected batch may hold one bad event among good ones: send them one by one so only the
  // events the receiver refuses end up as dead letters.
  for (size_t i = 0; i < entries.size(); ++i) {
    const sinks::EventRecord record{entries[i].event_id, entries[i].event_json};
    const auto single = sink.deliver(std::span(&record, 1));
    if (auto ok = settle(sink, entries.subspan(i, 1), single, summary); !ok) return ok;
    if (single.outcome == sinks::Outcome::kRetry) {
      if (i + 1 < entries.size()) {
        return store_.mark_retry(name, Seqs(entries.subspan(i + 1)),
                                 now + backoff(entries[i].attempts, single.retry_after),
                                 secrets_.Scrub(single.message), now);
      }
      return {};
    }
  }
  return {};
}

std::chrono::milliseconds DeliveryEngine::backoff(
    int attempts, std::optional<std::chrono::milliseconds> retry_after) const {
  if (retry_after) return std::min(*retry_after, policy_.max_backoff);
  // Exponential with full jitter, as for AWS requests: receivers that come back are not
  // stampeded by every daemon at once.
  const double ceiling = std::min(
      std::ldexp(static_cast<double>(policy_.initial_backoff.count()), std::min(attempts, 30)),
      static_cast<double>(policy_.max_backoff.count()));
  return std::chrono::milliseconds(
      static_cast<long long>(std::max(1.0, ceiling * (0.5 + 0.5 * random01_()))));
}

}  // namespace costwatch::daemon
