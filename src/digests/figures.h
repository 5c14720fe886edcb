// The figures the digests and `costwatch report` (src/report/) compute alike from the state
// database: how a cost is grouped, the same days of last month, the month-end forecast (Cost
// Explorer's, as an alarm bought it, else a run-rate projection) and the notes that qualify
// the figures.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "alarms/rules/day_costs.h"
#include "digests/digest_config.h"
#include "store/state_store.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::digests {

using Day = std::chrono::sys_days;

Day MonthStart(Day day);
Day AddMonths(Day month_start, int count);
// "November 2026".
std::string MonthName(Day day);

// The group a cost belongs to: `key` is the raw value (the service, the account id, the tag's
// value; "" when the cost has none), `name` how people read it ("123456789012 (Prod)",
// "team=web", "(untagged)").
struct CostGroup {
  std::string key;
  std::string name;
};
CostGroup GroupOf(Grouping grouping, const std::string& tag_key, const alarms::DayCost& cost);

// The name of `count` groups summed into one: "12 other services", "1 other value of tag team".
std::string OthersName(Grouping grouping, const std::string& tag_key, std::size_t count);

// Days [start, end), end exclusive.
struct Window {
  Day start;
  Day end;
};

// The days of the month before `month` that match [month, end): as many days from its first,
// but never past its last.
Window SameDaysOfLastMonth(Day month, Day end);

// The month-end forecast of a month whose [month, today) costs are `to_date`.
struct Projection {
  Decimal amount;
  std::string note;  // "Cost Explorer forecast" or how the run rate was projected
  bool cost_explorer = false;
};
// `forecast_rest` is Cost Explorer's forecast for [today, month end) when one is cached; else
// the run rate of the elapsed days. nullopt when no day of the month has passed.
std::optional<Projection> MonthEndForecast(const Decimal& to_date, Day month, Day today,
                                           const std::optional<Decimal>& forecast_rest);

// What a source needs to look its forecasts up.
struct ForecastScope {
  std::string source;
  std::string metric;       // the cost metric (UnblendedCost, ...)
  std::string filter_json;  // the source's filter
};
// Cost Explorer's forecast for [today, month_end) as an alarm bought it today (cached in the
// state database), if one did. Buys nothing.
Result<std::optional<Decimal>> CachedForecastRest(store::StateStore& store,
                                                  const ForecastScope& scope, Day utc_today,
                                                  Day month_end);

// The notes that qualify figures read from the state database.
std::string EstimatedNote();
std::string NothingStoredNote();
// Stored costs begin at `stored_from`, after `read_from`, the first day compared.
std::string MissingDaysNote(Day stored_from, Day read_from);

}  // namespace costwatch::digests
