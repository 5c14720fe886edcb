#include "metrics/cost_gauges.h"

#include <algorithm>

#include "alarms/rules/day_costs.h"
#include "util/dates.h"

namespace costwatch::metrics {

Result<CostGauges> ReadCostGauges(store::StateStore& store, const SourceInfo& source,
                                  std::chrono::sys_days today) {
  using std::chrono::days;
  const std::chrono::year_month_day ymd{today};
  const std::string month_start = FormatDate(std::chrono::sys_days{ymd.year() / ymd.month() / 1});
  const std::string yesterday = FormatDate(today - days(1));
  const std::string tomorrow = FormatDate(today + days(1));
  // Text comparison orders dates and hourly timestamps alike: "2026-11-28T05:00:00Z" lies
  // between "2026-11-28" and "2026-11-29".
  auto rows =
      store.rows(source.name, source.granularity, std::min(month_start, yesterday), tomorrow);
  if (!rows) return rows.error();
  const bool daily_gauge = source.granularity != "MONTHLY";
  CostGauges gauges;
  for (const auto& metric : source.metrics) {
    auto costs = alarms::ReadDayCosts(*rows, metric);
    if (!costs) return WithContext("source '" + source.name + "'", costs.error());
    for (const auto& cost : *costs) {
      const CostSeries series{source.name,
                              source.granularity,
                              metric,
                              cost.unit,
                              source.by_service ? cost.service : "",
                              source.by_account ? cost.account : ""};
      if (cost.day >= month_start) gauges.month_to_date[series] += cost.amount;
      if (daily_gauge && cost.day == yesterday) gauges.previous_day[series] += cost.amount;
    }
  }
  return gauges;
}

}  // namespace costwatch::metrics
