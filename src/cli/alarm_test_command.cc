#include "cli/alarm_test_command.h"

#include <algorithm>

#include "cli/alarm_setup.h"
#include "cli/daemon_setup.h"
#include "cli/output.h"
#include "config/loader.h"
#include "config/secrets.h"
#include "events/alarm_event.h"
#include "sinks/sink_factory.h"

namespace costwatch::cli {
namespace {

// Sends straight to the sinks: the test must not wait for (or need) a running daemon.
bool SendEvent(const config::Config& config, const notify::NotifierConfig& notifier,
               const notify::Notification& notification, const SecretScrubber& secrets) {
  const auto& options = std::get<notify::CloudEventOptions>(notifier.options);
  auto event = events::AlarmEvent(notification, options.source);
  if (!event) {
    PrintError("notifier '" + notifier.name + "': " + event.error().message);
    return false;
  }
  bool all = true;
  for (const auto& sink_config : config.sinks) {
    if (!SendsTo(options, sink_config.name)) continue;
    const std::string what = "notifier '" + notifier.name + "' to sink '" + sink_config.name + "'";
    auto sink = sinks::MakeSink(sink_config);
    if (!sink) {
      PrintError(what + ": " + sink.error().message);
      all = false;
      continue;
    }
    const std::vector<sinks::EventRecord> events = {{notification.id, *event}};
    const auto result = (*sink)->deliver(events);
    if (result.outcome == sinks::Outcome::kDelivered) {
      PrintNote(what + ": delivered");
    } else {
      PrintError(what + ": not delivered: " + secrets.Scrub(result.message));
      all = false;
    }
  }
  return all;
}

}  // namespace

int RunAlarmTest(const AlarmOptions& options) {
  auto config = config::LoadConfig(options.config_path, config::ProcessEnvLookup());
  if (!config) {
    PrintError(config.error().message);
    return 2;
  }
  RunOptions run;
  run.config_path = options.config_path;
  run.state_path = options.state_path;
  auto store = InspectState(run, config->state_path);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  alarms::AlarmEngine engine(
      *store, RuleSetups(*config),
      [](const alarms::RuleConfig&, const notify::Notification&) {
        return std::vector<store::QueuedMessage>{};
      },
      nullptr);
  auto test = engine.test_notification(options.rule, std::chrono::system_clock::now());
  if (!test) {
    PrintError(test.error().message);
    return 2;
  }
  const auto& [rule, notification] = *test;
  // What the receivers answer is printed: through the daemon's scrubber, as the state gets it.
  const SecretScrubber secrets = config::ScrubberFor(*config);
  AlarmRuntime runtime;
  int tried = 0;
  bool all = true;
  for (const auto& notifier_config : config->notifiers) {
    if (!Notifies(rule, notifier_config.name)) continue;
    ++tried;
    if (std::holds_alternative<notify::CloudEventOptions>(notifier_config.options)) {
      all = SendEvent(*config, notifier_config, notification, secrets) && all;
      continue;
    }
    auto notifier = BuildNotifier(notifier_config, runtime);
    if (!notifier) {
      PrintError(notifier.error().message);
      all = false;
      continue;
    }
    const auto result = (*notifier)->send(notification);
    if (result.outcome == notify::Outcome::kDelivered) {
      PrintNote("notifier '" + notifier_config.name + "': delivered");
    } else {
      PrintError("notifier '" + notifier_config.name +
                 "': not delivered: " + secrets.Scrub(result.message));
      all = false;
    }
  }
  if (tried == 0) {
    PrintError("alarm rule " + rule.name +
               " has no notifiers to test; add a notifiers: section to the config");
    return 2;
  }
  return all ? 0 : 1;
}

}  // namespace costwatch::cli
