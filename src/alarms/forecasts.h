// The forecasts of budget rules from Cost Explorer's GetCostForecast: each is a paid request
// ($0.01), so an answer (or AWS's "too little history") is kept in the state database and
// bought at most once per rule scope, period and UTC day.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "alarms/rules/evaluator.h"
#include "costexplorer/client.h"
#include "costexplorer/forecast.h"
#include "store/state_store.h"

namespace costwatch::alarms {

// The Cost Explorer Expression for a rule: the source's filter and the rule's scope, as JSON.
std::string ForecastFilter(const std::string& source_filter_json, const RuleScope& scope);

// How a bought forecast is keyed in the state database (forecasts.query_key): the source, the
// forecast metric, the filter and the period, so that readers without a client (digests) can
// find what an alarm bought.
std::string ForecastKey(std::string_view source, ce::ForecastMetric metric,
                        std::string_view filter_json, std::string_view start, std::string_view end);

class CostExplorerForecasts : public ForecastSource {
 public:
  using Clock = std::function<store::TimePoint()>;

  CostExplorerForecasts(store::StateStore& store, Clock clock)
      : store_(store), clock_(std::move(clock)) {}

  // The client and filter of a source; rules of sources not added here cannot forecast.
  void add_source(std::string name, ce::CostExplorerClient client, std::string filter_json);

  Result<std::optional<Decimal>> forecast(const RuleConfig& rule, Period period) override;

 private:
  struct Source {
    ce::CostExplorerClient client;
    std::string filter_json;
  };
  store::StateStore& store_;
  Clock clock_;
  std::map<std::string, Source, std::less<>> sources_;
};

}  // namespace costwatch::alarms
