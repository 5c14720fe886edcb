#include "metrics/live_counters.h"

namespace costwatch::metrics {

DeliveryCounters::DeliveryCounters(const std::vector<std::string>& sinks) {
  for (const auto& sink : sinks) counts_[sink].sink = sink;
}

void DeliveryCounters::add(std::string_view sink, long long failed, long long dead_lettered) {
  const std::lock_guard lock(mutex_);
  auto found = counts_.find(sink);
  if (found == counts_.end()) {
    found = counts_.emplace(std::string(sink), Counts{std::string(sink)}).first;
  }
  found->second.failed += failed;
  found->second.dead_lettered += dead_lettered;
}

std::vector<DeliveryCounters::Counts> DeliveryCounters::snapshot() const {
  const std::lock_guard lock(mutex_);
  std::vector<Counts> out;
  out.reserve(counts_.size());
  for (const auto& [name, counts] : counts_) out.push_back(counts);
  return out;
}

}  // namespace costwatch::metrics
