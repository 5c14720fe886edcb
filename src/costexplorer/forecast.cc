#include "costexplorer/forecast.h"

#include <simdjson.h>

#include <array>

#include "costexplorer/amount.h"
#include "util/dates.h"
#include "util/json.h"

namespace costwatch::ce {
namespace {

struct MetricNames {
  ForecastMetric metric;
  std::string_view forecast;        // GetCostForecast's spelling
  std::string_view cost_and_usage;  // GetCostAndUsage's spelling
};

constexpr std::array<MetricNames, 5> kMetricNames = {{
    {ForecastMetric::kAmortizedCost, "AMORTIZED_COST", "AmortizedCost"},
    {ForecastMetric::kBlendedCost, "BLENDED_COST", "BlendedCost"},
    {ForecastMetric::kNetAmortizedCost, "NET_AMORTIZED_COST", "NetAmortizedCost"},
    {ForecastMetric::kNetUnblendedCost, "NET_UNBLENDED_COST", "NetUnblendedCost"},
    {ForecastMetric::kUnblendedCost, "UNBLENDED_COST", "UnblendedCost"},
}};

const MetricNames& NamesOf(ForecastMetric metric) {
  for (const auto& names : kMetricNames) {
    if (names.metric == metric) return names;
  }
  return kMetricNames[0];
}

// An amount member that must be a decimal string; `path` names it in the error.
Result<std::string> ReadAmount(simdjson::dom::object parent, std::string_view member,
                               const std::string& path) {
  std::string_view text;
  const auto error = parent[member].get_string().get(text);
  if (error == simdjson::NO_SUCH_FIELD) return Fail(path + ": missing");
  if (error != simdjson::SUCCESS) return Fail(path + ": expected a string");
  if (!IsDecimal(text)) {
    return Fail(path + ": \"" + std::string(text.substr(0, 40)) + "\" is not a decimal number");
  }
  return std::string(text);
}

Result<std::optional<std::string>> ReadOptionalAmount(simdjson::dom::object parent,
                                                      std::string_view member,
                                                      const std::string& path) {
  if (parent[member].error() == simdjson::NO_SUCH_FIELD) return std::optional<std::string>();
  auto amount = ReadAmount(parent, member, path);
  if (!amount) return amount.error();
  return std::optional<std::string>(std::move(*amount));
}

Result<ForecastPeriod> ReadPeriod(simdjson::dom::element entry, const std::string& path) {
  simdjson::dom::object result;
  if (entry.get_object().get(result) != simdjson::SUCCESS) {
    return Fail(path + ": expected an object");
  }
  ForecastPeriod period;
  simdjson::dom::object time_period;
  std::string_view start;
  std::string_view end;
  if (result["TimePeriod"].get_object().get(time_period) != simdjson::SUCCESS ||
      time_period["Start"].get_string().get(start) != simdjson::SUCCESS ||
      time_period["End"].get_string().get(end) != simdjson::SUCCESS) {
    return Fail(path + ".TimePeriod: expected an object with Start and End strings");
  }
  period.start = std::string(start);
  period.end = std::string(end);
  auto mean = ReadAmount(result, "MeanValue", path + ".MeanValue");
  if (!mean) return mean.error();
  period.mean = std::move(*mean);
  auto lower = ReadOptionalAmount(result, "PredictionIntervalLowerBound",
                                  path + ".PredictionIntervalLowerBound");
  if (!lower) return lower.error();
  period.lower_bound = std::move(*lower);
  auto upper = ReadOptionalAmount(result, "PredictionIntervalUpperBound",
                                  path + ".PredictionIntervalUpperBound");
  if (!upper) return upper.error();
  period.upper_bound = std::move(*upper);
  return period;
}

}  // namespace

std::string_view ToString(ForecastMetric metric) {
  return NamesOf(metric).forecast;
}

std::string_view CostAndUsageMetricOf(ForecastMetric metric) {
  return NamesOf(metric).cost_and_usage;
}

Result<ForecastMetric> ForecastMetricFor(std::string_view cost_and_usage_metric) {
  for (const auto& names : kMetricNames) {
    if (names.cost_and_usage == cost_and_usage_metric) return names.metric;
  }
  return Fail(
      "Cost Explorer forecasts only AmortizedCost, BlendedCost, NetAmortizedCost, "
      "NetUnblendedCost and UnblendedCost, not \"" +
      std::string(cost_and_usage_metric) + "\"");
}

Result<ForecastMetric> ParseForecastMetric(std::string_view text) {
  for (const auto& names : kMetricNames) {
    if (names.forecast == text) return names.metric;
  }
  return Fail(
      "forecast metric must be AMORTIZED_COST, BLENDED_COST, NET_AMORTIZED_COST, "
      "NET_UNBLENDED_COST or UNBLENDED_COST, not \"" +
      std::string(text) + "\"");
}

Result<void> Validate(const CostForecastQuery& query, std::chrono::sys_days today) {
  const auto start = ParseDate(query.start);
  if (!start)
    return Fail("forecast start \"" + query.start + "\" is not a date in YYYY-MM-DD form");
  const auto end = ParseDate(query.end);
  if (!end) return Fail("forecast end \"" + query.end + "\" is not a date in YYYY-MM-DD form");
  if (*end <= *start) {
    return Fail("forecast end " + query.end + " must be after its start " + query.start +
                " (the end date is exclusive)");
  }
  if (*start < today) {
    return Fail("forecast start " + query.start + " is in the past: Cost Explorer forecasts from " +
                "today (" + FormatDate(today) + ", UTC) on");
  }
  std::chrono::days longest{0};
  switch (query.granularity) {
    case Granularity::kDaily:
      longest = kLongestDailyForecast;
      break;
    case Granularity::kMonthly:
      longest = kLongestMonthlyForecast;
      break;
    case Granularity::kHourly:
      return Fail("Cost Explorer forecasts DAILY or MONTHLY, not HOURLY");
  }
  if (*end - *start > longest) {
    return Fail("a " + std::string(ToString(query.granularity)) + " forecast covers at most " +
                std::to_string(longest.count()) + " days; " + query.start + " to " + query.end +
                " is " + std::to_string((*end - *start).count()));
  }
  if (const auto level = query.prediction_interval_level; level && (*level < 51 || *level > 99)) {
    return Fail("prediction interval level must be 51 to 99 (percent), not " +
                std::to_string(*level));
  }
  if (!query.filter_json.empty()) return ValidateFilter(query.filter_json);
  return {};
}

std::string ToRequestJson(const CostForecastQuery& query) {
  // Members in the order of the API model, as botocore writes them.
  std::string out = R"({"TimePeriod":{"Start":)";
  AppendJsonString(out, query.start);
  out += R"(,"End":)";
  AppendJsonString(out, query.end);
  out += R"(},"Metric":")";
  out += ToString(query.metric);
  out += R"(","Granularity":")";
  out += ToString(query.granularity);
  out += '"';
  if (!query.filter_json.empty()) {
    out += R"(,"Filter":)";
    out += query.filter_json;
  }
  if (query.prediction_interval_level) {
    out += R"(,"PredictionIntervalLevel":)";
    out += std::to_string(*query.prediction_interval_level);
  }
  out += '}';
  return out;
}

Result<CostForecast> ParseCostForecast(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS) {
    return Fail(std::string("not valid JSON: ") + simdjson::error_message(error));
  }
  simdjson::dom::object top;
  if (root.get_object().get(top) != simdjson::SUCCESS) {
    return Fail("not a GetCostForecast answer: expected a JSON object");
  }
  CostForecast forecast;
  simdjson::dom::object total;
  const auto total_error = top["Total"].get_object().get(total);
  if (total_error == simdjson::NO_SUCH_FIELD) {
    return Fail("not a GetCostForecast answer: no Total");
  }
  if (total_error != simdjson::SUCCESS) return Fail("Total: expected an object");
  auto amount = ReadAmount(total, "Amount", "Total.Amount");
  if (!amount) return amount.error();
  forecast.total = std::move(*amount);
  std::string_view unit;
  if (total["Unit"].get_string().get(unit) != simdjson::SUCCESS) {
    return Fail("Total.Unit: expected a string");
  }
  forecast.unit = std::string(unit);

  // Absent is read as no periods, as the SDKs would; anything else must be the array.
  if (auto field = top["ForecastResultsByTime"]; field.error() == simdjson::SUCCESS) {
    simdjson::dom::array results;
    if (field.get_array().get(results) != simdjson::SUCCESS) {
      return Fail("ForecastResultsByTime: expected an array");
    }
    size_t index = 0;
    for (simdjson::dom::element entry : results) {
      auto period = ReadPeriod(entry, "ForecastResultsByTime[" + std::to_string(index++) + "]");
      if (!period) return period.error();
      forecast.periods.push_back(std::move(*period));
    }
  }
  return forecast;
}

}  // namespace costwatch::ce
