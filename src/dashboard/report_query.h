// The query of /api/report, checked: a month (YYYY-MM) or an explicit [from, to) range of
// days, the grouping and the source. Anything else is refused with a message for a 400.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "config/config.h"
#include "util/result.h"

namespace costwatch::dashboard {

struct ReportQuery {
  std::chrono::sys_days from;  // first day
  std::chrono::sys_days to;    // exclusive
  bool whole_month = false;    // from month=, or the default: the current month
  std::string by = "service";  // service, account or tag:KEY
  std::string source;          // a configured source's name
};

// Longest range a request may ask for: a year and a day covers any month-over-year view, and
// keeps one request from reading the whole database.
inline constexpr int kMaxRangeDays = 366;

// `today` is the UTC day used when neither month nor from/to is given.
Result<ReportQuery> ParseReportQuery(const std::map<std::string, std::string>& query,
                                     const config::Config& config, std::chrono::sys_days today);

}  // namespace costwatch::dashboard
