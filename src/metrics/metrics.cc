#include "metrics/metrics.h"

#include <algorithm>

#include "metrics/exposition.h"
#include "store/state_store.h"

namespace costwatch::metrics {
namespace {

using store::StateStore;

constexpr std::string_view kGauge = "gauge";
constexpr std::string_view kCounter = "counter";

Labels CostLabels(const CostSeries& series) {
  Labels labels = {{"source", series.source},
                   {"granularity", series.granularity},
                   {"metric", series.metric},
                   {"unit", series.unit}};
  if (!series.service.empty()) labels.emplace_back("service", series.service);
  if (!series.account.empty()) labels.emplace_back("account", series.account);
  return labels;
}

void WriteCosts(Exposition& out, const std::vector<CostGauges>& gauges) {
  out.family("costwatch_cost_month_to_date", kGauge,
             "Stored costs of the current UTC month so far, today's estimate included, exact; "
             "the currency or usage unit is the unit label.");
  for (const auto& source : gauges) {
    for (const auto& [series, amount] : source.month_to_date) {
      out.sample(CostLabels(series), amount.ToString());
    }
  }
  out.family("costwatch_cost_previous_day", kGauge,
             "Stored costs of the previous UTC day (the latest complete day), exact; not for "
             "MONTHLY sources.");
  for (const auto& source : gauges) {
    for (const auto& [series, amount] : source.previous_day) {
      out.sample(CostLabels(series), amount.ToString());
    }
  }
}

void WriteSources(Exposition& out, const store::StoreStatus& status) {
  out.family("costwatch_source_last_success_timestamp_seconds", kGauge,
             "When the source's last successful pull was recorded (Unix time).");
  for (const auto& source : status.sources) {
    out.sample({{"source", source.source}}, FormatSeconds(source.checkpoint.fetched_at));
  }
  out.family("costwatch_source_pulls_total", kCounter,
             "Successful pulls recorded for the source, over the state's lifetime.");
  for (const auto& source : status.sources) {
    out.sample({{"source", source.source}}, std::to_string(source.checkpoint.fetches));
  }
  out.family("costwatch_source_rows", kGauge, "Cost rows stored for the source.");
  for (const auto& source : status.sources) {
    out.sample({{"source", source.source}}, std::to_string(source.rows));
  }
  out.family("costwatch_cost_explorer_paid_requests", kGauge,
             "Paid Cost Explorer requests ($0.01 each) of the current UTC day or month.");
  out.sample({{"period", "day"}}, std::to_string(status.requests.today));
  out.sample({{"period", "month"}}, std::to_string(status.requests.this_month));
}

void WriteSinks(Exposition& out, const store::StoreStatus& status) {
  out.family("costwatch_sink_events_delivered_total", kCounter,
             "Events the sink (or notifier:NAME) acknowledged, over the state's lifetime.");
  for (const auto& sink : status.sinks) {
    out.sample({{"sink", sink.sink}}, std::to_string(sink.delivered));
  }
  out.family("costwatch_sink_outbox_depth", kGauge, "Events waiting in the sink's outbox.");
  for (const auto& sink : status.sinks) {
    out.sample({{"sink", sink.sink}}, std::to_string(sink.outbox_depth));
  }
  out.family("costwatch_sink_dead_letters", kGauge,
             "Events the sink refused, kept as dead letters (costwatch status lists them).");
  for (const auto& sink : status.sinks) {
    out.sample({{"sink", sink.sink}}, std::to_string(sink.dead_letters));
  }
  out.family("costwatch_sink_last_delivery_timestamp_seconds", kGauge,
             "When the sink last acknowledged events (Unix time).");
  for (const auto& sink : status.sinks) {
    if (sink.last_delivery) out.sample({{"sink", sink.sink}}, FormatSeconds(*sink.last_delivery));
  }
  out.family("costwatch_sink_last_error_timestamp_seconds", kGauge,
             "When a delivery to the sink last failed (Unix time).");
  for (const auto& sink : status.sinks) {
    if (sink.last_error_at) out.sample({{"sink", sink.sink}}, FormatSeconds(*sink.last_error_at));
  }
}

void WriteDaemon(Exposition& out, const DaemonState& daemon) {
  out.family("costwatch_aws_requests_total", kCounter,
             "Requests sent to AWS since the daemon started, by source and outcome.");
  for (const auto& source : daemon.aws) {
    for (size_t i = 0; i < aws::kRequestOutcomes; ++i) {
      const auto outcome = static_cast<aws::RequestOutcome>(i);
      out.sample({{"source", source.source}, {"outcome", std::string(aws::OutcomeName(outcome))}},
                 std::to_string(source.counters->attempts(outcome)));
    }
  }
  out.family("costwatch_aws_retries_total", kCounter,
             "AWS requests sent again after a throttling, server or network error, since the "
             "daemon started.");
  for (const auto& source : daemon.aws) {
    out.sample({{"source", source.source}}, std::to_string(source.counters->retries()));
  }
  if (daemon.delivery == nullptr) return;
  const auto counts = daemon.delivery->snapshot();
  out.family("costwatch_sink_delivery_failures_total", kCounter,
             "Event deliveries that failed for now and wait for a retry, since the daemon "
             "started.");
  for (const auto& sink : counts) out.sample({{"sink", sink.sink}}, std::to_string(sink.failed));
  out.family("costwatch_sink_events_dead_lettered_total", kCounter,
             "Events the sink refused since the daemon started (they became dead letters).");
  for (const auto& sink : counts) {
    out.sample({{"sink", sink.sink}}, std::to_string(sink.dead_lettered));
  }
}

}  // namespace

std::string RenderMetrics(const ScrapeContext& context, TimePoint now) {
  Exposition out;
  out.family("costwatch_build_info", kGauge, "Always 1; the version label says which costwatch.");
  out.sample({{"version", context.version}}, "1");

  std::optional<store::StoreStatus> status;
  std::vector<CostGauges> costs;
  auto store = StateStore::Open(context.state_path, store::OpenMode::kInspect);
  if (store) {
    auto read = store->status(now);
    const auto today = std::chrono::floor<std::chrono::days>(now);
    bool costs_ok = true;
    for (const auto& source : context.sources) {
      auto gauges = ReadCostGauges(*store, source, today);
      if (!gauges) {
        costs_ok = false;
        break;
      }
      costs.push_back(std::move(*gauges));
    }
    if (read && costs_ok) status = std::move(*read);
  }
  out.family("costwatch_state_up", kGauge,
             "1 when this scrape could read the state database, else 0 (then only the "
             "daemon's own counters are shown).");
  out.sample({}, status ? "1" : "0");
  if (status) {
    WriteCosts(out, costs);
    WriteSources(out, *status);
    WriteSinks(out, *status);
  }
  if (context.daemon) WriteDaemon(out, *context.daemon);
  return out.take();
}

std::optional<std::string> NotReadyReason(const ScrapeContext& context, TimePoint now) {
  if (context.daemon && context.daemon->started != nullptr && !*context.daemon->started) {
    return "starting: the first pull and delivery round has not finished";
  }
  auto store = StateStore::Open(context.state_path, store::OpenMode::kInspect);
  if (!store) return store.error().message;
  auto status = store->status(now);
  if (!status) return status.error().message;
  const auto stale_after = 2 * context.pull_period + std::chrono::hours(1);
  for (const auto& source : context.sources) {
    const auto found =
        std::find_if(status->sources.begin(), status->sources.end(),
                     [&](const store::SourceStatus& s) { return s.source == source.name; });
    if (found == status->sources.end()) {
      return "source '" + source.name + "' has not been pulled successfully yet";
    }
    if (now - found->checkpoint.fetched_at > stale_after) {
      return "source '" + source.name + "' has not been pulled successfully for " +
             std::to_string(
                 std::chrono::duration_cast<std::chrono::hours>(now - found->checkpoint.fetched_at)
                     .count()) +
             " hours";
    }
  }
  // Every sink failing: each has events waiting and its last error came after its last
  // delivery. One sink that still delivers keeps costwatch useful.
  const bool all_failing =
      !status->sinks.empty() &&
      std::all_of(status->sinks.begin(), status->sinks.end(), [](const store::SinkStatus& s) {
        return s.outbox_depth > 0 && s.last_error_at &&
               (!s.last_delivery || *s.last_delivery < *s.last_error_at);
      });
  if (all_failing) return "every sink is failing to deliver (costwatch status shows the errors)";
  return std::nullopt;
}

}  // namespace costwatch::metrics
