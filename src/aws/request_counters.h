// How AWS answered, counted for /metrics without the aws module knowing about metrics: a
// client given a RequestCounters adds every attempt to it. Atomics, because a scrape reads
// them from a server thread while the daemon's thread calls AWS.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace costwatch::aws {

enum class RequestOutcome {
  kOk,            // 200
  kThrottled,     // a throttling error (retried)
  kServerError,   // 5xx (retried)
  kClientError,   // any other error reply: refused, bad credentials, ...
  kNetworkError,  // no complete answer: DNS, connect, TLS, timeout
};
inline constexpr std::size_t kRequestOutcomes = 5;

constexpr std::string_view OutcomeName(RequestOutcome outcome) {
  constexpr std::array<std::string_view, kRequestOutcomes> kNames = {
      "ok", "throttled", "server_error", "client_error", "network_error"};
  return kNames.at(static_cast<std::size_t>(outcome));
}

class RequestCounters {
 public:
  void count(RequestOutcome outcome) {
    attempts_.at(static_cast<std::size_t>(outcome)).fetch_add(1, std::memory_order_relaxed);
  }
  void count_retry() { retries_.fetch_add(1, std::memory_order_relaxed); }

  [[nodiscard]] std::uint64_t attempts(RequestOutcome outcome) const {
    return attempts_.at(static_cast<std::size_t>(outcome)).load(std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kRequestOutcomes> attempts_{};
  std::atomic<std::uint64_t> retries_{0};
};

}  // namespace costwatch::aws
