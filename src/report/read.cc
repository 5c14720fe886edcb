// ReadReport: the report's inputs from the state database.
#include <algorithm>

#include "digests/figures.h"
#include "report/report.h"
#include "util/dates.h"

namespace costwatch::report {
std::string DefaultCostMetric(const std::vector<std::string>& source_metrics) {
  const auto metric = std::find_if(source_metrics.begin(), source_metrics.end(),
                                   [](const std::string& name) { return name.ends_with("Cost"); });
  return metric != source_metrics.end() ? *metric : "AmortizedCost";
}

Result<void> CheckGrouping(const ReportQuery& query, const ReportSource& source) {
  std::string type = "DIMENSION";
  std::string key = "SERVICE";
  if (query.by == digests::Grouping::kAccount) key = "LINKED_ACCOUNT";
  if (query.by == digests::Grouping::kTag) {
    type = "TAG";
    key = query.tag_key;
  }
  const bool grouped =
      std::any_of(source.group_by.begin(), source.group_by.end(),
                  [&](const ce::GroupBy& g) { return g.type == type && g.key == key; });
  if (grouped) return {};
  const std::string name = type == "TAG" ? "TAG:" + key : key;
  return Fail("source '" + query.source + "' does not group by " + name +
              ", so its costs cannot be " + "reported by " +
              (type == "TAG"      ? "tag:" + key
               : key == "SERVICE" ? "service"
                                  : "account") +
              "; add " + name + " to the source's group_by and run `costwatch backfill`");
}

Result<Report> ReadReport(store::StateStore& store, const ReportQuery& query,
                          const ReportSource& source, Day today) {
  if (auto grouped = CheckGrouping(query, source); !grouped) return grouped.error();
  auto period = PlanReport(query, today);
  if (!period) return period.error();
  const std::string where = "report of source " + query.source;
  auto rows = store.rows(query.source, source.granularity, FormatDate(period->previous_from),
                         FormatDate(std::max(period->to, period->previous_to)));
  if (!rows) return WithContext(where, rows.error());
  auto costs = alarms::ReadDayCosts(*rows, query.metric);
  if (!costs) return WithContext(where, costs.error());

  ReportInputs inputs;
  inputs.costs = *costs;
  const std::string from = FormatDate(period->from);
  const std::string to = FormatDate(period->to);
  if (!rows->empty()) inputs.stored_from = ParseDate(rows->front().period_start.substr(0, 10));
  for (const auto& row : *rows) {
    const std::string day = row.period_start.substr(0, 10);
    if (row.estimated && day >= from && day < to) inputs.estimated = true;
  }
  if (period->month && period->to == today && today > *period->month) {
    auto forecast =
        digests::CachedForecastRest(store, {query.source, query.metric, source.filter_json}, today,
                                    digests::AddMonths(*period->month, 1));
    if (!forecast) return WithContext(where, forecast.error());
    inputs.forecast_rest = *forecast;
  }
  auto alarms = store.alarm_states();
  if (!alarms) return WithContext(where, alarms.error());
  inputs.alarms = std::move(*alarms);
  return ComputeReport(query, *period, inputs, today);
}

}  // namespace costwatch::report
