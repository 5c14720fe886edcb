#include "alarms/engine.h"

#include <map>

#include "aws/crypto.h"
#include "util/dates.h"

namespace costwatch::alarms {
namespace {

using std::chrono::days;

std::string KindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kMonthToDate:
      return "month_to_date";
    case RuleKind::kBudget:
      return "budget";
    case RuleKind::kSpike:
      return "spike";
  }
  return "rule";
}

std::int64_t Millis(store::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Which changes people hear about: into and out of ALARM, and data going missing after it was
// there. A new alarm starting OK, or the first data arriving (INSUFFICIENT_DATA -> OK), is
// not news.
bool WorthNotifying(std::string_view from, std::string_view to) {
  if (from == to) return false;
  if (to == kAlarm || from == kAlarm) return true;
  return from == kOk && to == kInsufficientData;
}

// How far the source's costs are known: the end of its last pull, or the day after its newest
// row when that is later (a backfill of an old range moves the checkpoint back in time).
std::optional<Day> FetchedUntil(const std::optional<store::Checkpoint>& checkpoint,
                                const std::optional<std::string>& latest_period) {
  std::optional<Day> until;
  if (checkpoint) {
    if (auto day = ParseDate(std::string_view(checkpoint->window_end).substr(0, 10))) {
      // An hourly window ending inside a day covers part of it: count the day as reached.
      until = checkpoint->window_end.size() > 10 ? *day + days(1) : *day;
    }
  }
  if (latest_period) {
    if (auto day = ParseDate(std::string_view(*latest_period).substr(0, 10))) {
      if (!until || *day + days(1) > *until) until = *day + days(1);
    }
  }
  return until;
}

// A rule's alarms are not fixed: one per service that costs money, one per budget threshold in
// the config. What this evaluation did not produce is settled here, so `status` never shows an
// alarm that nothing updates:
//   - the rule cannot be evaluated at all (one nameless INSUFFICIENT_DATA): each alarm it has
//     becomes INSUFFICIENT_DATA, so "data stopped arriving" reaches every one of them;
//   - a service (account) of a per-service spike rule without cost in the window: OK at zero;
//   - anything else (a threshold taken out of the config, the nameless placeholder of a rule
//     that now has alarms of its own): removed; its history stays.
std::vector<Evaluation> Reconcile(const RuleConfig& rule, std::vector<Evaluation> evaluations,
                                  const std::map<std::string, store::AlarmState>& stored,
                                  std::vector<std::string>& removed) {
  const auto produced = [&](const std::string& alarm) {
    return std::any_of(evaluations.begin(), evaluations.end(),
                       [&](const Evaluation& e) { return e.alarm == alarm; });
  };
  const bool unknown = evaluations.size() == 1 && evaluations[0].alarm.empty() &&
                       evaluations[0].state == kInsufficientData;
  const bool has_named = std::any_of(stored.begin(), stored.end(),
                                     [](const auto& entry) { return !entry.first.empty(); });
  if (unknown && has_named) {
    const Evaluation nameless = evaluations[0];
    evaluations.clear();
    for (const auto& [alarm, state] : stored) {
      if (alarm.empty()) {
        removed.push_back(alarm);
        continue;
      }
      Evaluation each = nameless;
      each.alarm = alarm;
      each.unit = state.unit;
      evaluations.push_back(std::move(each));
    }
    return evaluations;
  }
  const bool per_key_spike = rule.kind == RuleKind::kSpike && rule.by != SpikeBy::kTotal;
  std::vector<Evaluation> quiet;
  for (const auto& [alarm, state] : stored) {
    if (produced(alarm)) continue;
    if (per_key_spike && !alarm.empty() && !evaluations.empty()) {
      Evaluation zero = evaluations.front();
      zero.alarm = alarm;
      zero.state = std::string(kOk);
      zero.amount = Decimal();
      zero.unit = state.unit;
      zero.top.clear();
      zero.scope = (rule.by == SpikeBy::kService ? "service " : "account ") + alarm;
      zero.reason = "No cost for " + zero.scope + " in the last " +
                    std::to_string(rule.baseline_days + 1) + " days.";
      quiet.push_back(std::move(zero));
    } else {
      removed.push_back(alarm);
    }
  }
  evaluations.insert(evaluations.end(), quiet.begin(), quiet.end());
  return evaluations;
}

}  // namespace

notify::Notification MakeNotification(const RuleConfig& rule, const Evaluation& evaluation,
                                      std::string_view previous_state, bool reminder,
                                      store::TimePoint since, store::TimePoint now) {
  notify::Notification n;
  n.rule = rule.name;
  n.kind = KindName(rule.kind);
  n.previous_state = std::string(previous_state);
  n.state = evaluation.state;
  n.reminder = reminder;
  // The same transition always has the same id; a reminder is a new message.
  n.id = aws::Sha256Hex(rule.name + '\n' + evaluation.alarm + '\n' + evaluation.state + '\n' +
                        std::to_string(Millis(since)) +
                        (reminder ? "\nreminder " + std::to_string(Millis(now)) : ""))
             .substr(0, 32);
  const std::string name =
      rule.name + (evaluation.alarm.empty() ? "" : " (" + evaluation.alarm + ")");
  if (evaluation.state == kInsufficientData) {
    n.title = evaluation.state + ": " + name + ", no data to decide";
  } else {
    n.title = evaluation.state + ": " + name + ", " + Money(evaluation.amount) + " " +
              evaluation.unit + (evaluation.state == kAlarm ? " >= " : " < ") +
              evaluation.threshold.ToShortString() + " " + evaluation.unit;
  }
  if (reminder) n.title = "Still " + n.title;
  n.reason = evaluation.reason;
  if (!rule.description.empty()) n.reason += " " + rule.description;
  n.scope = evaluation.scope;
  n.amount = Money(evaluation.amount);
  n.threshold = evaluation.threshold.ToShortString();
  n.unit = evaluation.unit;
  n.period_start = FormatDate(evaluation.period.start);
  n.period_end = FormatDate(evaluation.period.end);
  if (evaluation.forecast) n.forecast = Money(*evaluation.forecast);
  n.top = evaluation.top;
  n.time = FormatUtcTimestamp(std::chrono::floor<std::chrono::seconds>(now));
  return n;
}

AlarmEngine::AlarmEngine(store::StateStore& store, std::vector<RuleSetup> rules, Router router,
                         ForecastSource* forecasts)
    : store_(store), rules_(std::move(rules)), router_(std::move(router)), forecasts_(forecasts) {}

Result<std::vector<Evaluation>> AlarmEngine::evaluate_rule(const RuleSetup& setup, Day today) {
  const RuleConfig& rule = setup.rule;
  const Period needed = DaysNeeded(rule, today);
  auto rows =
      store_.rows(rule.source, setup.granularity, FormatDate(needed.start), FormatDate(needed.end));
  if (!rows) return rows.error();
  auto costs = ReadDayCosts(*rows, rule.metric);
  if (!costs) return costs.error();
  auto checkpoint = store_.checkpoint(rule.source);
  if (!checkpoint) return checkpoint.error();
  auto latest = store_.latest_period(rule.source);
  if (!latest) return latest.error();
  return Evaluate(rule, *costs, FetchedUntil(*checkpoint, *latest), today, forecasts_);
}

Result<void> AlarmEngine::record(const RuleConfig& rule, const Evaluation& evaluation,
                                 const store::AlarmState* previous, store::TimePoint now,
                                 EngineReport& report) {
  ++report.evaluated;
  const std::string from = previous ? previous->state : std::string(kInsufficientData);
  const bool changed = previous == nullptr || previous->state != evaluation.state;

  store::AlarmState state;
  state.rule = rule.name;
  state.alarm = evaluation.alarm;
  state.state = evaluation.state;
  state.since = changed ? now : previous->since;
  state.evaluated = now;
  state.notified = previous ? previous->notified : std::nullopt;
  state.amount = evaluation.amount.ToString();
  state.threshold = evaluation.threshold.ToString();
  state.unit = evaluation.unit;
  state.reason = evaluation.reason;

  bool reminder = false;
  bool notify = changed && WorthNotifying(from, evaluation.state);
  if (!changed && evaluation.state == kAlarm && rule.remind_every) {
    const auto last = previous->notified.value_or(previous->since);
    reminder = now - last >= *rule.remind_every;
    notify = reminder;
  }
  std::vector<store::QueuedMessage> messages;
  if (notify) {
    messages = router_(rule, MakeNotification(rule, evaluation, from, reminder, state.since, now));
    state.notified = now;
    ++report.notifications;
  }
  return store_.record_alarm(state, messages, now);
}

Result<EngineReport> AlarmEngine::evaluate(std::string_view source, store::TimePoint now) {
  auto stored_states = store_.alarm_states();
  if (!stored_states) return stored_states.error();
  // rule -> alarm -> state
  std::map<std::string, std::map<std::string, store::AlarmState>> stored;
  for (auto& state : *stored_states) stored[state.rule][state.alarm] = std::move(state);

  const Day today = std::chrono::floor<days>(now);
  EngineReport report;
  for (const auto& setup : rules_) {
    const RuleConfig& rule = setup.rule;
    if (!source.empty() && rule.source != source) continue;
    auto evaluations = evaluate_rule(setup, today);
    if (!evaluations) {
      report.errors.push_back("alarm rule " + rule.name + ": " + evaluations.error().message);
      continue;
    }
    auto& previous = stored[rule.name];
    std::vector<std::string> removed;
    for (const auto& evaluation : Reconcile(rule, std::move(*evaluations), previous, removed)) {
      const auto found = previous.find(evaluation.alarm);
      auto recorded =
          record(rule, evaluation, found == previous.end() ? nullptr : &found->second, now, report);
      if (!recorded) return recorded.error();
    }
    for (const auto& alarm : removed) {
      if (auto gone = store_.remove_alarm(rule.name, alarm); !gone) return gone.error();
    }
  }
  // Rules taken out of the config leave no alarms behind in `status`.
  for (const auto& [name, alarms] : stored) {
    const std::string& rule_name = name;
    const bool configured = std::any_of(
        rules_.begin(), rules_.end(), [&](const RuleSetup& s) { return s.rule.name == rule_name; });
    if (configured) continue;
    for (const auto& [alarm, state] : alarms) {
      if (auto gone = store_.remove_alarm(rule_name, alarm); !gone) return gone.error();
    }
  }
  return report;
}

Result<std::pair<RuleConfig, notify::Notification>> AlarmEngine::test_notification(
    std::string_view rule_name, store::TimePoint now) {
  const auto setup = std::find_if(rules_.begin(), rules_.end(),
                                  [&](const RuleSetup& s) { return s.rule.name == rule_name; });
  if (setup == rules_.end()) {
    std::string names;
    for (const auto& s : rules_) names += (names.empty() ? "" : ", ") + s.rule.name;
    return Fail("no alarm rule is named '" + std::string(rule_name) + "'" +
                (names.empty() ? " (the config has no alarms)" : " (rules: " + names + ")"));
  }
  auto evaluations = evaluate_rule(*setup, std::chrono::floor<days>(now));
  if (!evaluations) return WithContext("alarm rule " + setup->rule.name, evaluations.error());
  if (evaluations->empty()) return Fail("alarm rule " + setup->rule.name + " has no alarm yet");
  const Evaluation& evaluation = evaluations->front();
  notify::Notification notification =
      MakeNotification(setup->rule, evaluation, evaluation.state, false, now, now);
  notification.test = true;
  notification.id = aws::Sha256Hex("test\n" + setup->rule.name + '\n' + std::to_string(Millis(now)))
                        .substr(0, 32);
  notification.title = "[TEST] " + notification.title;
  return std::pair(setup->rule, notification);
}

}  // namespace costwatch::alarms
