// The alarm engine: after every pull it evaluates the rules on the state database, records each
// alarm's state and queues a notification on every change (and reminder) in the same
// transaction, so a change is notified exactly when it is recorded, even across a crash.
// Delivery of the queued notifications is the outbox's job (daemon/delivery.h), with its
// retries and dead letters.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "alarms/rules/evaluator.h"
#include "alarms/rules/rule_config.h"
#include "notify/notifier.h"
#include "store/state_store.h"
#include "util/result.h"

namespace costwatch::alarms {

// What the engine needs to know about a rule's source.
struct RuleSetup {
  RuleConfig rule;
  std::string granularity;  // DAILY, HOURLY or MONTHLY: how the source's rows are stored
};

// Turns a notification into the outbox messages for the rule's notifiers (and CloudEvent sinks).
using Router = std::function<std::vector<store::QueuedMessage>(const RuleConfig&,
                                                               const notify::Notification&)>;

struct EngineReport {
  int evaluated = 0;                // alarms evaluated
  int notifications = 0;            // notifications queued (each may go to several notifiers)
  std::vector<std::string> errors;  // rules that could not be evaluated this time, one line each
};

class AlarmEngine {
 public:
  AlarmEngine(store::StateStore& store, std::vector<RuleSetup> rules, Router router,
              ForecastSource* forecasts);

  // Evaluates the rules of `source` (every rule when empty) at `now`. A rule that fails (a
  // forecast request, damaged rows) keeps its previous state and is reported; the others go on.
  Result<EngineReport> evaluate(std::string_view source, store::TimePoint now);

  // A test notification of `rule` (`costwatch alarm test`): the rule's current figures, marked
  // as a test. Records nothing, queues nothing, so it works on a read-only state database.
  Result<std::pair<RuleConfig, notify::Notification>> test_notification(std::string_view rule,
                                                                        store::TimePoint now);

  [[nodiscard]] const std::vector<RuleSetup>& rules() const { return rules_; }

 private:
  Result<std::vector<Evaluation>> evaluate_rule(const RuleSetup& setup, Day today);
  // Records one alarm's evaluation, queuing its notification when one is due.
  Result<void> record(const RuleConfig& rule, const Evaluation& evaluation,
                      const store::AlarmState* previous, store::TimePoint now,
                      EngineReport& report);

  store::StateStore& store_;
  std::vector<RuleSetup> rules_;
  Router router_;
  ForecastSource* forecasts_;
};

// The notification for an alarm's evaluation (exposed for tests and `alarm test`).
notify::Notification MakeNotification(const RuleConfig& rule, const Evaluation& evaluation,
                                      std::string_view previous_state, bool reminder,
                                      store::TimePoint since, store::TimePoint now);

}  // namespace costwatch::alarms
