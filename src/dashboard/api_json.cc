#include "dashboard/api_json.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "util/dates.h"
#include "util/decimal.h"
#include "util/json.h"

namespace costwatch::dashboard {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr std::string_view kNotifierPrefix = "notifier:";

std::string Timestamp(TimePoint time) {
  return FormatUtcTimestamp(std::chrono::floor<std::chrono::seconds>(time));
}

// "key":"text", with a comma before every member but the first of its object.
class Members {
 public:
  explicit Members(std::string& out) : out_(out) { out_ += '{'; }
  Members(const Members&) = delete;
  Members& operator=(const Members&) = delete;
  ~Members() { out_ += '}'; }

  void text(std::string_view key, std::string_view value) {
    name(key);
    AppendJsonString(out_, value);
  }
  void number(std::string_view key, std::int64_t value) {
    name(key);
    out_ += std::to_string(value);
  }
  void boolean(std::string_view key, bool value) {
    name(key);
    out_ += value ? "true" : "false";
  }
  void time(std::string_view key, const std::optional<TimePoint>& value) {
    name(key);
    if (value) {
      AppendJsonString(out_, Timestamp(*value));
    } else {
      out_ += "null";
    }
  }
  void optional_text(std::string_view key, const std::optional<std::string>& value) {
    name(key);
    if (value) {
      AppendJsonString(out_, *value);
    } else {
      out_ += "null";
    }
  }
  // The key; the caller writes the value.
  std::string& name(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    AppendJsonString(out_, key);
    out_ += ':';
    return out_;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

std::string_view KindName(alarms::RuleKind kind) {
  switch (kind) {
    case alarms::RuleKind::kMonthToDate:
      return "month_to_date";
    case alarms::RuleKind::kBudget:
      return "budget";
    case alarms::RuleKind::kSpike:
      return "spike";
  }
  return "unknown";
}

// Cents as an exact dollar amount: 123 -> "1.23".
std::string Dollars(std::int64_t cents) {
  return Decimal::FromInteger(cents).DividedBy(Decimal::FromInteger(100), 2).ToFixed(2);
}

using AlarmKey = std::pair<std::string, std::string>;  // rule, alarm

void AppendHistory(std::string& out, const std::vector<const store::AlarmHistoryEntry*>& entries) {
  out += '[';
  bool first = true;
  for (const auto* entry : entries) {
    if (!first) out += ',';
    first = false;
    Members change(out);
    change.text("from", entry->from_state);
    change.text("to", entry->to_state);
    change.time("at", entry->at);
    change.text("amount", entry->amount);
    change.text("threshold", entry->threshold);
    change.text("unit", entry->unit);
    change.text("reason", entry->reason);
  }
  out += ']';
}

void AppendAlarm(std::string& out, const store::AlarmState& state,
                 const std::vector<const store::AlarmHistoryEntry*>& history) {
  Members alarm(out);
  alarm.text("alarm", state.alarm);
  alarm.text("state", state.state);
  alarm.time("since", state.since);
  alarm.time("evaluated", state.evaluated);
  alarm.time("notified", state.notified);
  alarm.text("amount", state.amount);
  alarm.text("threshold", state.threshold);
  alarm.text("unit", state.unit);
  alarm.text("reason", state.reason);
  AppendHistory(alarm.name("history"), history);
}

}  // namespace

std::string AlarmsJson(const config::Config& config, std::span<const store::AlarmState> states,
                       std::span<const store::AlarmHistoryEntry> history, TimePoint now) {
  // Oldest first per alarm: the store hands them out newest first.
  std::map<AlarmKey, std::vector<const store::AlarmHistoryEntry*>> changes;
  for (auto entry = history.rbegin(); entry != history.rend(); ++entry) {
    changes[{entry->rule, entry->alarm}].push_back(&*entry);
  }
  std::map<std::string, std::vector<const store::AlarmState*>, std::less<>> by_rule;
  for (const auto& state : states) by_rule[state.rule].push_back(&state);

  std::string out;
  {
    Members root(out);
    root.text("generatedAt", Timestamp(now));
    std::string& rules = root.name("rules");
    rules += '[';
    std::set<std::string, std::less<>> listed;
    auto append_rule = [&](std::string_view name, const alarms::RuleConfig* rule) {
      if (!listed.insert(std::string(name)).second) return;
      if (listed.size() > 1) rules += ',';
      Members entry(rules);
      entry.text("name", name);
      entry.boolean("configured", rule != nullptr);
      entry.text("kind", rule != nullptr ? KindName(rule->kind) : "");
      entry.text("description", rule != nullptr ? rule->description : "");
      entry.text("source", rule != nullptr ? rule->source : "");
      std::string& list = entry.name("alarms");
      list += '[';
      const auto found = by_rule.find(name);
      if (found != by_rule.end()) {
        bool first = true;
        for (const auto* state : found->second) {
          if (!first) list += ',';
          first = false;
          AppendAlarm(list, *state, changes[{state->rule, state->alarm}]);
        }
      }
      list += ']';
    };
    for (const auto& rule : config.alarms) append_rule(rule.name, &rule);
    for (const auto& [name, unused] : by_rule) append_rule(name, nullptr);
    rules += ']';
  }
  return out;
}

std::string HealthJson(const config::Config& config, const store::StoreStatus& status,
                       TimePoint now) {
  // Every queue the store knows, and the configured ones it does not know yet (nothing queued
  // so far), by name.
  std::map<std::string, const store::SinkStatus*> queues;
  for (const auto& sink : status.sinks) queues.emplace(sink.sink, &sink);
  std::set<std::string> configured;
  for (const auto& sink : config.sinks) configured.insert(sink.name);
  for (const auto& notifier : config.notifiers) {
    configured.insert(std::string(kNotifierPrefix) + notifier.name);
  }
  for (const auto& name : configured) queues.emplace(name, nullptr);

  std::string out;
  {
    Members root(out);
    root.text("generatedAt", Timestamp(now));
    std::string& sinks = root.name("sinks");
    sinks += '[';
    bool first = true;
    const store::SinkStatus empty;
    for (const auto& [queue, found] : queues) {
      const store::SinkStatus& sink = found != nullptr ? *found : empty;
      if (!first) sinks += ',';
      first = false;
      const bool notifier = queue.starts_with(kNotifierPrefix);
      Members entry(sinks);
      entry.text("name", notifier ? queue.substr(kNotifierPrefix.size()) : queue);
      entry.text("kind", notifier ? "notifier" : "sink");
      entry.boolean("configured", configured.contains(queue));
      entry.number("outboxDepth", sink.outbox_depth);
      entry.time("oldestWaiting", sink.oldest_waiting);
      entry.number("deadLetters", sink.dead_letters);
      entry.number("delivered", sink.delivered);
      entry.time("lastDelivery", sink.last_delivery);
      entry.optional_text("lastError", sink.last_error);
      entry.time("lastErrorAt", sink.last_error_at);
    }
    sinks += ']';

    std::map<std::string, const store::SourceStatus*> sources;
    for (const auto& source : status.sources) sources.emplace(source.source, &source);
    std::set<std::string> configured_sources;
    for (const auto& source : config.sources) {
      configured_sources.insert(source.name);
      sources.emplace(source.name, nullptr);
    }
    std::string& list = root.name("sources");
    list += '[';
    first = true;
    for (const auto& [name, found] : sources) {
      if (!first) list += ',';
      first = false;
      Members entry(list);
      entry.text("name", name);
      entry.boolean("configured", configured_sources.contains(name));
      // A configured source never fetched yet has no checkpoint.
      const bool fetched = found != nullptr;
      entry.time("lastFetch", fetched ? std::optional(found->checkpoint.fetched_at) : std::nullopt);
      entry.optional_text("windowStart",
                          fetched ? std::optional(found->checkpoint.window_start) : std::nullopt);
      entry.optional_text("windowEnd",
                          fetched ? std::optional(found->checkpoint.window_end) : std::nullopt);
      entry.number("fetches", fetched ? found->checkpoint.fetches : 0);
      entry.number("rows", fetched ? found->rows : 0);
    }
    list += ']';

    Members requests(root.name("paidRequests"));
    requests.number("today", status.requests.today);
    requests.number("thisMonth", status.requests.this_month);
    requests.text("todayCost", Dollars(status.requests.today_cents()));
    requests.text("monthCost", Dollars(status.requests.month_cents()));
    requests.text("unit", "USD");
  }
  return out;
}

std::string ErrorJson(std::string_view message) {
  std::string out;
  {
    Members root(out);
    root.text("error", message);
  }
  out += '\n';
  return out;
}

}  // namespace costwatch::dashboard
