#include "alarms/rules/evaluator.h"

#include <algorithm>
#include <map>

#include "util/dates.h"

namespace costwatch::alarms {
namespace {

using std::chrono::days;
using std::chrono::month;
using std::chrono::year_month_day;

constexpr size_t kTopCount = 5;

std::string DateText(Day day) {
  return FormatDate(day);
}

bool InPeriod(const DayCost& cost, const Period& period) {
  return cost.day >= DateText(period.start) && cost.day < DateText(period.end);
}

std::string UnitOf(std::span<const DayCost> costs) {
  return costs.empty() ? "USD" : costs.front().unit;
}

Decimal Sum(std::span<const DayCost> costs, const RuleScope& scope, const Period& period) {
  Decimal sum;
  for (const auto& cost : costs) {
    if (InPeriod(cost, period) && InScope(cost, scope)) sum += cost.amount;
  }
  return sum;
}

// The biggest services in scope over the period (accounts when the source has no services).
std::vector<notify::Contributor> Top(std::span<const DayCost> costs, const RuleScope& scope,
                                     const Period& period) {
  std::map<std::string, Decimal> by_name;
  for (const auto& cost : costs) {
    if (!InPeriod(cost, period) || !InScope(cost, scope)) continue;
    const std::string& name = !cost.service.empty() ? cost.service : cost.account;
    if (!name.empty()) by_name[name] += cost.amount;
  }
  std::vector<std::pair<std::string, Decimal>> sorted(by_name.begin(), by_name.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<notify::Contributor> top;
  for (size_t i = 0; i < sorted.size() && i < kTopCount; ++i) {
    top.push_back({sorted[i].first, Money(sorted[i].second)});
  }
  return top;
}

// A rule's period has data once a fetch reached into it.
bool Pulled(std::optional<Day> fetched_until, Day first_day) {
  return fetched_until && *fetched_until > first_day;
}

Evaluation Insufficient(std::string alarm, const Decimal& threshold, std::string unit,
                        Period period, std::string scope, std::string reason) {
  Evaluation evaluation;
  evaluation.alarm = std::move(alarm);
  evaluation.state = std::string(kInsufficientData);
  evaluation.threshold = threshold;
  evaluation.unit = std::move(unit);
  evaluation.period = period;
  evaluation.scope = std::move(scope);
  evaluation.reason = std::move(reason);
  return evaluation;
}

std::string PeriodName(BudgetPeriod period) {
  switch (period) {
    case BudgetPeriod::kMonth:
      return "month";
    case BudgetPeriod::kQuarter:
      return "quarter";
    case BudgetPeriod::kYear:
      return "year";
  }
  return "period";
}

std::vector<Evaluation> MonthToDate(const RuleConfig& rule, std::span<const DayCost> costs,
                                    std::optional<Day> fetched_until, Day today) {
  const Period period = CalendarPeriod(BudgetPeriod::kMonth, today);
  const std::string unit = UnitOf(costs);
  const std::string scope = DescribeScope(rule.scope);
  if (!Pulled(fetched_until, period.start)) {
    return {Insufficient(
        "", rule.threshold, unit, period, scope,
        "No costs have been pulled for " + DateText(period.start).substr(0, 7) + " yet.")};
  }
  Evaluation evaluation;
  evaluation.amount = Sum(costs, rule.scope, period);
  evaluation.threshold = rule.threshold;
  evaluation.unit = unit;
  evaluation.period = period;
  evaluation.scope = scope;
  evaluation.top = Top(costs, rule.scope, period);
  const bool over = evaluation.amount >= rule.threshold;
  evaluation.state = std::string(over ? kAlarm : kOk);
  evaluation.reason = "Month-to-date spend (" + scope + ") is " + Money(evaluation.amount) + " " +
                      unit + (over ? ", at or above" : ", below") + " the threshold of " +
                      rule.threshold.ToShortString() + " " + unit + ".";
  return {evaluation};
}

Result<std::vector<Evaluation>> Budget(const RuleConfig& rule, std::span<const DayCost> costs,
                                       std::optional<Day> fetched_until, Day today,
                                       ForecastSource* forecasts) {
  const Period period = CalendarPeriod(rule.period, today);
  const std::string unit = UnitOf(costs);
  const std::string scope = DescribeScope(rule.scope);
  const std::string name = PeriodName(rule.period);
  const Decimal actual = Sum(costs, rule.scope, {period.start, today + days(1)});
  // Today's cost is still growing; a forecast covers it, so the forecast basis stops at
  // yesterday and adds the forecast from today to the end of the period.
  const Decimal before_today = Sum(costs, rule.scope, {period.start, today});
  std::optional<std::optional<Decimal>> forecast;  // asked at most once per evaluation

  std::vector<Evaluation> evaluations;
  for (const auto& threshold : rule.thresholds) {
    const bool of_forecast = threshold.basis == Basis::kForecast;
    const std::string alarm = std::string(of_forecast ? "forecast-" : "actual-") +
                              threshold.percent.ToShortString() + "%";
    const Decimal product = rule.budget * threshold.percent;
    const Decimal limit = product.DividedBy(Decimal::FromInteger(100), product.scale() + 2);
    if (!Pulled(fetched_until, period.start)) {
      evaluations.push_back(Insufficient(alarm, limit, unit, period, scope,
                                         "No costs have been pulled for this " + name + " yet."));
      continue;
    }
    Evaluation evaluation;
    evaluation.alarm = alarm;
    evaluation.threshold = limit;
    evaluation.unit = unit;
    evaluation.period = period;
    evaluation.scope = scope;
    evaluation.top = Top(costs, rule.scope, period);
    evaluation.amount = actual;
    if (of_forecast) {
      if (!forecast) {
        if (forecasts == nullptr) {
          forecast = std::optional<Decimal>();  // not asked for (a test): unknown
        } else {
          auto asked = forecasts->forecast(rule, {today, period.end});
          if (!asked) return WithContext("rule " + rule.name, asked.error());
          forecast = *asked;
        }
      }
      if (!forecast->has_value()) {
        evaluations.push_back(Insufficient(alarm, limit, unit, period, scope,
                                           "Cost Explorer has too little history to forecast "
                                           "this " +
                                               name + "."));
        continue;
      }
      evaluation.amount = before_today + **forecast;
      evaluation.forecast = evaluation.amount;
    }
    const bool over = evaluation.amount >= limit;
    evaluation.state = std::string(over ? kAlarm : kOk);
    const Decimal share = (evaluation.amount * Decimal::FromInteger(100)).DividedBy(rule.budget, 1);
    std::string& reason = evaluation.reason;
    reason = of_forecast ? "Forecast" : "Actual";
    reason += " spend for the " + name;
    reason += " (" + scope + ") is ";
    reason += Money(evaluation.amount) + " " + unit + ", ";
    reason += share.ToString() + "% of the budget of ";
    reason += rule.budget.ToShortString() + " " + unit;
    reason += over ? ", at or above the " : ", below the ";
    reason +=
        threshold.percent.ToShortString() + "% threshold (" + Money(limit) + " " + unit + ").";
    evaluations.push_back(std::move(evaluation));
  }
  return evaluations;
}

std::string SpikeKey(const DayCost& cost, SpikeBy by) {
  switch (by) {
    case SpikeBy::kTotal:
      return "";
    case SpikeBy::kService:
      return cost.service;
    case SpikeBy::kAccount:
      return cost.account;
  }
  return "";
}

std::vector<Evaluation> Spike(const RuleConfig& rule, std::span<const DayCost> costs,
                              std::optional<Day> fetched_until, Day today) {
  const Day day = today - days(1);  // the last complete day
  const Period baseline{day - days(rule.baseline_days), day};
  const Period period{day, today};
  const std::string unit = UnitOf(costs);
  const std::string scope = DescribeScope(rule.scope);
  const Decimal min_impact = rule.min_impact.value_or(Decimal());
  const std::string day_text = DateText(day);
  if (!fetched_until || *fetched_until <= day) {
    return {Insufficient("", min_impact, unit, period, scope,
                         "The costs of " + day_text + " have not been pulled yet.")};
  }
  std::vector<std::string> days_seen;
  for (const auto& cost : costs) {
    if (InPeriod(cost, baseline) &&
        std::find(days_seen.begin(), days_seen.end(), cost.day) == days_seen.end()) {
      days_seen.push_back(cost.day);
    }
  }
  const auto needed = static_cast<size_t>((rule.baseline_days + 1) / 2);
  if (days_seen.size() < needed) {
    return {Insufficient("", min_impact, unit, period, scope,
                         "Only " + std::to_string(days_seen.size()) + " of the " +
                             std::to_string(rule.baseline_days) +
                             " baseline days have costs; a spike needs at least " +
                             std::to_string(needed) + ".")};
  }

  struct Sums {
    Decimal day;
    Decimal baseline;
  };
  std::map<std::string, Sums> by_key;
  if (rule.by == SpikeBy::kTotal) by_key[""];
  for (const auto& cost : costs) {
    if (!InScope(cost, rule.scope)) continue;
    const std::string key = SpikeKey(cost, rule.by);
    if (cost.day == day_text) by_key[key].day += cost.amount;
    if (InPeriod(cost, baseline)) by_key[key].baseline += cost.amount;
  }

  const Decimal n = Decimal::FromInteger(rule.baseline_days);
  std::vector<Evaluation> evaluations;
  for (const auto& [key, sums] : by_key) {
    // Compared without dividing: day - baseline/n >= impact  <=>  day*n - baseline >= impact*n.
    const Decimal excess_n = sums.day * n - sums.baseline;
    bool spike = excess_n >= min_impact * n && !excess_n.is_negative() && !excess_n.is_zero();
    if (rule.min_percent) {
      spike = spike && excess_n * Decimal::FromInteger(100) >= *rule.min_percent * sums.baseline;
    }
    const Decimal mean = sums.baseline.DividedBy(n, 4);
    Evaluation evaluation;
    evaluation.alarm = key;
    evaluation.state = std::string(spike ? kAlarm : kOk);
    evaluation.amount = sums.day;
    evaluation.threshold = min_impact;
    evaluation.unit = unit;
    evaluation.period = period;
    evaluation.scope =
        key.empty() ? scope : (rule.by == SpikeBy::kService ? "service " : "account ") + key;
    RuleScope day_scope = rule.scope;
    if (rule.by == SpikeBy::kService) day_scope.service = key;
    if (rule.by == SpikeBy::kAccount) day_scope.account = key;
    evaluation.top = Top(costs, day_scope, period);
    std::string change = Money(sums.day - mean) + " " + unit;
    if (!sums.baseline.is_zero()) {
      const Decimal percent = (excess_n * Decimal::FromInteger(100)).DividedBy(sums.baseline, 0);
      change += " (" + std::string(percent.is_negative() ? "" : "+") + percent.ToString() + "%)";
    }
    std::string& reason = evaluation.reason;
    reason = "On " + day_text + " " + evaluation.scope;
    reason += " cost " + Money(sums.day) + " " + unit;
    reason += ", " + change + " against its " + std::to_string(rule.baseline_days);
    reason += "-day mean of " + Money(mean) + " " + unit;
    reason += spike ? ": a spike (alarm at " : ": no spike (alarm at ";
    reason += min_impact.ToShortString() + " " + unit;
    if (rule.min_percent) reason += " and " + rule.min_percent->ToShortString() + "%";
    reason += " above the mean).";
    evaluations.push_back(std::move(evaluation));
  }
  return evaluations;
}

}  // namespace

Period CalendarPeriod(BudgetPeriod period, Day day) {
  const year_month_day date(day);
  switch (period) {
    case BudgetPeriod::kMonth: {
      const auto first = date.year() / date.month() / 1;
      return {Day(first), Day(first + std::chrono::months(1))};
    }
    case BudgetPeriod::kQuarter: {
      const unsigned first_month = (static_cast<unsigned>(date.month()) - 1) / 3 * 3 + 1;
      const auto first = date.year() / month(first_month) / 1;
      return {Day(first), Day(first + std::chrono::months(3))};
    }
    case BudgetPeriod::kYear: {
      const auto first = date.year() / std::chrono::January / 1;
      return {Day(first), Day(first + std::chrono::years(1))};
    }
  }
  return {day, day + days(1)};
}

Period DaysNeeded(const RuleConfig& rule, Day today) {
  switch (rule.kind) {
    case RuleKind::kMonthToDate:
      return {CalendarPeriod(BudgetPeriod::kMonth, today).start, today + days(1)};
    case RuleKind::kBudget:
      return {CalendarPeriod(rule.period, today).start, today + days(1)};
    case RuleKind::kSpike:
      return {today - days(1) - days(rule.baseline_days), today};
  }
  return {today, today + days(1)};
}

Result<std::vector<Evaluation>> Evaluate(const RuleConfig& rule, std::span<const DayCost> costs,
                                         std::optional<Day> fetched_until, Day today,
                                         ForecastSource* forecasts) {
  switch (rule.kind) {
    case RuleKind::kMonthToDate:
      return MonthToDate(rule, costs, fetched_until, today);
    case RuleKind::kBudget:
      return Budget(rule, costs, fetched_until, today, forecasts);
    case RuleKind::kSpike:
      return Spike(rule, costs, fetched_until, today);
  }
  return std::vector<Evaluation>{};
}

}  // namespace costwatch::alarms
