// The local alarm rules as pure functions of the stored costs and the date: no clock, no
// database, no network (the forecast comes through an interface), so every rule is tested on
// exact figures. docs/alarms.md describes what each rule computes.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alarms/rules/day_costs.h"
#include "alarms/rules/rule_config.h"
#include "notify/notifier.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::alarms {

using Day = std::chrono::sys_days;

inline constexpr std::string_view kOk = "OK";
inline constexpr std::string_view kAlarm = "ALARM";
inline constexpr std::string_view kInsufficientData = "INSUFFICIENT_DATA";

// What people read: cents, half away from zero, always two places ("12.40").
inline std::string Money(const Decimal& amount) {
  return amount.ToFixed(2);
}

struct Period {
  Day start;
  Day end;  // exclusive
};

Period CalendarPeriod(BudgetPeriod period, Day day);

// The days of cost a rule reads to be evaluated on `today`.
Period DaysNeeded(const RuleConfig& rule, Day today);

// One alarm of a rule after an evaluation.
struct Evaluation {
  std::string alarm;  // "" for a rule's only alarm; "actual-80%", a service, an account
  std::string state;  // kOk, kAlarm, kInsufficientData
  Decimal amount;     // what was measured
  Decimal threshold;  // what it was compared with
  std::string unit;
  std::string reason;  // one sentence, amounts rounded to cents
  Period period;
  std::optional<Decimal> forecast;
  std::vector<notify::Contributor> top;  // biggest services (or accounts) in the period
  std::string scope;
};

// GetCostForecast for the rule's scope over [period.start, period.end): nullopt when AWS has
// too little history to forecast (DataUnavailableException); an error for anything else.
class ForecastSource {
 public:
  virtual ~ForecastSource() = default;
  virtual Result<std::optional<Decimal>> forecast(const RuleConfig& rule, Period period) = 0;
};

// `costs` are the source's costs over DaysNeeded(rule, today); `fetched_until` is the end of
// the source's last fetched window (nullopt: never fetched), which tells a day without cost
// from a day not pulled yet. Fails only when the forecast fails: the caller keeps the old state.
// Without `forecasts`, forecast thresholds are INSUFFICIENT_DATA (nothing is bought).
Result<std::vector<Evaluation>> Evaluate(const RuleConfig& rule, std::span<const DayCost> costs,
                                         std::optional<Day> fetched_until, Day today,
                                         ForecastSource* forecasts);

}  // namespace costwatch::alarms
