// GetCostForecast: what AWS predicts will be spent from today to the end of a period, for
// alarms on the month, quarter or year before it is over.
//
// A forecast names its metric differently from GetCostAndUsage (AMORTIZED_COST, not
// AmortizedCost), can start no earlier than today, and may be answered with
// DataUnavailableException when an account has too little history: that answer is not a
// failure but a ForecastUnavailable, so an alarm can say INSUFFICIENT_DATA instead of ERROR.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "costexplorer/request.h"
#include "util/result.h"

namespace costwatch::ce {

// The cost metrics GetCostForecast takes; the usage metrics have no cost forecast.
enum class ForecastMetric {
  kAmortizedCost,
  kBlendedCost,
  kNetAmortizedCost,
  kNetUnblendedCost,
  kUnblendedCost,
};

std::string_view ToString(ForecastMetric metric);  // "AMORTIZED_COST", as the API spells it
// The GetCostAndUsage name of the same figure: "AmortizedCost".
std::string_view CostAndUsageMetricOf(ForecastMetric metric);
// "AmortizedCost" (a GetCostAndUsage metric, as sources configure it) -> kAmortizedCost.
Result<ForecastMetric> ForecastMetricFor(std::string_view cost_and_usage_metric);
// "AMORTIZED_COST" -> kAmortizedCost.
Result<ForecastMetric> ParseForecastMetric(std::string_view text);

struct CostForecastQuery {
  std::string start;  // YYYY-MM-DD, today (UTC) or later; inclusive
  std::string end;    // YYYY-MM-DD, exclusive: the 1st of the month after the period
  ForecastMetric metric = ForecastMetric::kAmortizedCost;
  Granularity granularity = Granularity::kMonthly;  // MONTHLY or DAILY
  std::string filter_json;  // an Expression object, verbatim, as a source's; empty for none
  std::optional<int> prediction_interval_level;  // 51..99; AWS uses 80 when unset
};

// The longest forecasts AWS makes: "3 months of DAILY forecasts or 12 months of MONTHLY
// forecasts" (API reference), counted in days, generously.
inline constexpr std::chrono::days kLongestDailyForecast{92};
inline constexpr std::chrono::days kLongestMonthlyForecast{366};

// Checks the query as Cost Explorer would, against `today` (UTC): AWS refuses a Start in
// the past, and each refusal is a paid request.
Result<void> Validate(const CostForecastQuery& query, std::chrono::sys_days today);

// The JSON 1.1 request body.
std::string ToRequestJson(const CostForecastQuery& query);

// Amounts are decimal strings exactly as AWS sent them: never converted to double.
struct ForecastPeriod {
  std::string start;                       // TimePeriod.Start, YYYY-MM-DD
  std::string end;                         // TimePeriod.End, exclusive
  std::string mean;                        // MeanValue
  std::optional<std::string> lower_bound;  // PredictionIntervalLowerBound
  std::optional<std::string> upper_bound;  // PredictionIntervalUpperBound
};

struct CostForecast {
  std::string total;                    // Total.Amount: the forecast for the whole TimePeriod
  std::string unit;                     // Total.Unit: "USD"
  std::vector<ForecastPeriod> periods;  // ForecastResultsByTime, in order
};

// AWS answered DataUnavailableException: too little history (or none under the filter) to
// forecast. Alarms report INSUFFICIENT_DATA; nothing is wrong with the query or the reply.
struct ForecastUnavailable {
  std::string message;  // AWS's own text
};

using ForecastAnswer = std::variant<CostForecast, ForecastUnavailable>;

// Reads a GetCostForecast reply. Unknown members are ignored, as the AWS SDKs do.
Result<CostForecast> ParseCostForecast(std::string_view json);

}  // namespace costwatch::ce
