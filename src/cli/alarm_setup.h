// Assembling the billing alarms from the config: the notifiers (delivered as outbox queues by
// the daemon's delivery engine), the router from a rule to its notifiers and CloudEvent sinks,
// the forecasts and the alarm engine. Shared by run, backfill and `alarm test`.
#pragma once

#include <memory>
#include <vector>

#include "alarms/engine.h"
#include "alarms/forecasts.h"
#include "config/config.h"
#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "sinks/sink.h"
#include "store/state_store.h"
#include "util/result.h"

namespace costwatch::cli {

struct SourceRuntime;

// What the notifiers and the engine keep alive (SNS clients and their sessions).
struct AlarmRuntime {
  struct Holder {
    virtual ~Holder() = default;
  };
  std::vector<std::unique_ptr<Holder>> keep_alive;
  std::unique_ptr<alarms::CostExplorerForecasts> forecasts;
  std::unique_ptr<alarms::AlarmEngine> engine;
};

// One sink per notifier that has a queue (every type but cloudevent, whose events go straight
// to its sinks' queues), appended to `sinks` for the delivery engine.
Result<void> AddNotifierSinks(const config::Config& config, AlarmRuntime& runtime,
                              std::vector<std::unique_ptr<sinks::Sink>>& sinks);

// Where a rule's notifications go: NotificationToJson to each notifier's queue, and the
// amazon.billing.alarm event to the sinks of its cloudevent notifiers. Keeps a copy of the
// config's notifiers and sinks.
alarms::Router MakeRouter(const config::Config& config);

// Whether a rule's notifications go to the notifier (a rule without `notify` uses them all), and
// whether a cloudevent notifier's events go to the sink (without `sinks`, to every sink).
bool Notifies(const alarms::RuleConfig& rule, const std::string& notifier);
bool SendsTo(const notify::CloudEventOptions& options, const std::string& sink);

// The config's rules with what the engine needs to know of their sources.
std::vector<alarms::RuleSetup> RuleSetups(const config::Config& config);

// Builds one notifier of the config (SNS clients are kept in `runtime`); not for cloudevent,
// whose events go to sinks.
Result<std::unique_ptr<notify::Notifier>> BuildNotifier(const notify::NotifierConfig& config,
                                                        AlarmRuntime& runtime);

// The engine over the config's rules. `sources` gives each rule's source its Cost Explorer
// client for budget forecasts.
void StartAlarmEngine(const config::Config& config, store::StateStore& store,
                      const std::vector<std::unique_ptr<SourceRuntime>>& sources,
                      AlarmRuntime& runtime);

}  // namespace costwatch::cli
