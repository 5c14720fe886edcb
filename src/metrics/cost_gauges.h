// The cost gauges of /metrics: the stored costs of the current UTC month so far and of the
// previous UTC day, summed exactly (Decimal) per source, metric, unit and the source's service
// and account grouping.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "store/state_store.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::metrics {

// What a scrape needs to know of a configured source.
struct SourceInfo {
  std::string name;
  std::string granularity;  // DAILY, HOURLY, MONTHLY
  std::vector<std::string> metrics;
  bool by_service = false;  // the source groups by SERVICE: a service label
  bool by_account = false;  // by LINKED_ACCOUNT: an account label
};

// One series: the labels of a cost gauge. An empty service or account means the source does
// not group by it (the label is left out).
struct CostSeries {
  std::string source;
  std::string granularity;
  std::string metric;
  std::string unit;
  std::string service;
  std::string account;
  auto operator<=>(const CostSeries&) const = default;
};

struct CostGauges {
  std::map<CostSeries, Decimal> month_to_date;
  std::map<CostSeries, Decimal> previous_day;  // not for MONTHLY sources
};

// Reads the rows of `source` from the first of today's month (or yesterday, on the 1st) to
// today and adds them up.
Result<CostGauges> ReadCostGauges(store::StateStore& store, const SourceInfo& source,
                                  std::chrono::sys_days today);

}  // namespace costwatch::metrics
