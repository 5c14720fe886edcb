// /metrics, /healthz and /readyz of `costwatch run` and `costwatch serve` (docs/metrics.md).
// Each scrape opens the state database read-only, as `costwatch status` does, so that it never
// shares the daemon's connection; the daemon's own counters are read through atomics and
// mutexes. Every function here is safe to call from several server threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/request_counters.h"
#include "metrics/cost_gauges.h"
#include "metrics/live_counters.h"

namespace costwatch::metrics {

using TimePoint = std::chrono::system_clock::time_point;

// The Content-Type of RenderMetrics: the text exposition format 0.0.4.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// What the daemon shares with the scrapes; absent under `costwatch serve`.
struct DaemonState {
  const DeliveryCounters* delivery = nullptr;
  struct AwsSource {
    std::string source;
    const aws::RequestCounters* counters = nullptr;
  };
  std::vector<AwsSource> aws;
  // Set once the first round of pulls and deliveries is over.
  const std::atomic<bool>* started = nullptr;
};

struct ScrapeContext {
  std::filesystem::path state_path;
  std::vector<SourceInfo> sources;
  std::string version;
  // How often each source is pulled at the least (the interval, else a day): /readyz calls a
  // source stale after two of these and an hour more.
  std::chrono::seconds pull_period{std::chrono::hours(24)};
  std::optional<DaemonState> daemon;
};

// The whole exposition. A state database that cannot be read gives costwatch_state_up 0 and
// the metrics that do not need it, never an error page: a scraper should see why.
std::string RenderMetrics(const ScrapeContext& context, TimePoint now);

// nullopt when ready; else the one-line reason (docs/metrics.md, "Health checks").
std::optional<std::string> NotReadyReason(const ScrapeContext& context, TimePoint now);

}  // namespace costwatch::metrics
