#include "notify/notification_text.h"

#include "util/dates.h"

namespace costwatch::notify {

std::string PeriodText(const Notification& n) {
  const auto start = ParseDate(n.period_start);
  const auto end = ParseDate(n.period_end);
  // period_end is exclusive in the data (as in Cost Explorer); people read the last day.
  if (start && end && *end > *start) {
    const auto last = *end - std::chrono::days(1);
    if (last == *start) return FormatDate(*start);
    return FormatDate(*start) + " to " + FormatDate(last);
  }
  return n.period_start + " to " + n.period_end;
}

std::vector<Fact> Facts(const Notification& n) {
  const auto money = [&](const std::string& amount) {
    return n.unit.empty() ? amount : amount + " " + n.unit;
  };
  std::vector<Fact> facts;
  facts.push_back({"State", n.previous_state.empty() || n.previous_state == n.state
                                ? n.state
                                : n.previous_state + " \u2192 " + n.state});
  facts.push_back({"Amount", money(n.amount)});
  facts.push_back({"Threshold", money(n.threshold)});
  facts.push_back({"Period", PeriodText(n)});
  if (n.forecast) facts.push_back({"Forecast", money(*n.forecast)});
  if (!n.scope.empty()) facts.push_back({"Scope", n.scope});
  return facts;
}

std::string TopHeading(const Notification& n) {
  return n.scope.starts_with("account") ? "Top accounts" : "Top services";
}

std::string Preamble(const Notification& n) {
  if (n.test) return "This is a test notification from costwatch alarm test; no alarm fired.";
  if (n.reminder) return "Reminder: this alarm is still in state " + n.state + ".";
  return "";
}

std::string Footer(const Notification& n) {
  return "rule " + n.rule + " \u00b7 notification " + n.id + " \u00b7 " + n.time;
}

}  // namespace costwatch::notify
