// What only a running daemon knows, for /metrics: per sink, the deliveries that failed for now
// and the events that became dead letters since it started. The daemon adds after each delivery
// round; a scrape reads from a server thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace costwatch::metrics {

class DeliveryCounters {
 public:
  // Every sink starts at zero, so that its counters exist before anything happened.
  explicit DeliveryCounters(const std::vector<std::string>& sinks);

  void add(std::string_view sink, long long failed, long long dead_lettered);

  struct Counts {
    std::string sink;
    long long failed = 0;  // deliveries of an event that failed and wait for a retry
    long long dead_lettered = 0;
  };
  [[nodiscard]] std::vector<Counts> snapshot() const;  // by sink name

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Counts, std::less<>> counts_;
};

}  // namespace costwatch::metrics
