#include "alarms/forecasts.h"

#include <variant>
#include <vector>

#include "util/dates.h"
#include "util/json.h"

namespace costwatch::alarms {
namespace {

std::string Condition(std::string_view kind, std::string_view key, std::string_view value) {
  std::string out = "{\"" + std::string(kind) + "\":{\"Key\":";
  AppendJsonString(out, key);
  out += ",\"Values\":[";
  AppendJsonString(out, value);
  return out + "]}}";
}

}  // namespace

std::string ForecastFilter(const std::string& source_filter_json, const RuleScope& scope) {
  std::vector<std::string> parts;
  if (!source_filter_json.empty()) parts.push_back(source_filter_json);
  if (!scope.service.empty()) parts.push_back(Condition("Dimensions", "SERVICE", scope.service));
  if (!scope.account.empty()) {
    parts.push_back(Condition("Dimensions", "LINKED_ACCOUNT", scope.account));
  }
  if (scope.has_tag) {
    if (scope.tag_value.empty()) {
      // Resources without the tag: Cost Explorer's way to say "no value" is ABSENT.
      std::string absent = "{\"Tags\":{\"Key\":";
      AppendJsonString(absent, scope.tag_key);
      parts.push_back(absent + ",\"MatchOptions\":[\"ABSENT\"]}}");
    } else {
      parts.push_back(Condition("Tags", scope.tag_key, scope.tag_value));
    }
  }
  if (parts.size() <= 1) return parts.empty() ? "" : parts[0];
  std::string out = "{\"And\":[";
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ",") + parts[i];
  return out + "]}";
}

std::string ForecastKey(std::string_view source, ce::ForecastMetric metric,
                        std::string_view filter_json, std::string_view start,
                        std::string_view end) {
  std::string key(source);
  for (const std::string_view part : {ce::ToString(metric), filter_json, start, end}) {
    key += '\n';
    key += part;
  }
  return key;
}

void CostExplorerForecasts::add_source(std::string name, ce::CostExplorerClient client,
                                       std::string filter_json) {
  sources_.erase(name);
  sources_.emplace(std::move(name), Source{client, std::move(filter_json)});
}

Result<std::optional<Decimal>> CostExplorerForecasts::forecast(const RuleConfig& rule,
                                                               Period period) {
  const auto source = sources_.find(rule.source);
  if (source == sources_.end()) return Fail("no Cost Explorer client for source " + rule.source);
  auto metric = ce::ForecastMetricFor(rule.metric);
  if (!metric) return metric.error();

  ce::CostForecastQuery query;
  query.start = FormatDate(period.start);
  query.end = FormatDate(period.end);
  query.metric = *metric;
  query.granularity = ce::Granularity::kMonthly;
  query.filter_json = ForecastFilter(source->second.filter_json, rule.scope);

  const store::TimePoint now = clock_();
  const std::string day = FormatDate(std::chrono::floor<std::chrono::days>(now));
  const std::string key =
      ForecastKey(rule.source, query.metric, query.filter_json, query.start, query.end);
  auto cached = store_.cached_forecast(key, day);
  if (!cached) return cached.error();
  if (!cached->has_value()) {
    if (auto valid = ce::Validate(query, std::chrono::floor<std::chrono::days>(now)); !valid) {
      return valid.error();
    }
    auto answer = source->second.client.forecast(query);
    // Sent or not, a request that reached AWS is paid for.
    if (auto counted = store_.add_requests(rule.source, 1, now); !counted) return counted.error();
    if (!answer) return WithContext("GetCostForecast", answer.error());
    store::CachedForecast fresh;
    if (const auto* forecast = std::get_if<ce::CostForecast>(&*answer)) {
      fresh.amount = forecast->total;
      fresh.unit = forecast->unit;
    }
    if (auto stored = store_.cache_forecast(key, day, fresh); !stored) return stored.error();
    *cached = fresh;
  }
  if (!(*cached)->amount) return std::optional<Decimal>();
  auto amount = Decimal::Parse(*(*cached)->amount, "GetCostForecast Total");
  if (!amount) return amount.error();
  return std::optional<Decimal>(*amount);
}

}  // namespace costwatch::alarms
