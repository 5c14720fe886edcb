// `costwatch report` and the dashboard's /api/report: month-to-date costs by service, account or
// tag from the state database alone (no Cost Explorer request), exact with Decimal: each
// group's share, its change against the same days of the month before, its cost per day, the
// month-end forecast and the alarms' states. docs/report.md describes every figure and the
// JSON; render.h turns a Report into a table or CSV.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alarms/rules/day_costs.h"
#include "costexplorer/request.h"
#include "digests/digest_config.h"
#include "store/state_store.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::report {

using Day = std::chrono::sys_days;

struct ReportQuery {
  std::string source = "default";
  std::string metric = "UnblendedCost";
  digests::Grouping by = digests::Grouping::kService;
  std::string tag_key;  // by tag:KEY
  // The period: a month (month to date while it runs), else [from, to); neither: this month.
  std::optional<std::chrono::year_month> month;
  std::optional<Day> from;
  std::optional<Day> to;  // exclusive
  // Groups listed; the others are summed into one "other" group. nullopt: every group.
  std::optional<std::size_t> top;
};

// The days a query covers on `today` (UTC), or a one-line error (a month in the future, an
// empty or reversed range).
struct ReportPeriod {
  std::optional<Day> month;  // the month of a month query
  Day from;
  Day to;  // exclusive; a running month ends at today: today's costs are not complete
  Day previous_from;
  Day previous_to;
};
Result<ReportPeriod> PlanReport(const ReportQuery& query, Day today);

struct ReportGroup {
  std::string key;   // the service, account id or tag value; "" for none, "(other)" for the rest
  std::string name;  // how people read it: "123456789012 (Prod)", "team=web", "12 other services"
  Decimal amount;
  std::optional<Decimal> share;  // percent of the total, 1 place; nullopt: the total is not > 0
  Decimal previous;
  Decimal change;
  std::optional<Decimal> change_percent;  // 1 place; nullopt: nothing before to compare with
  std::vector<Decimal> daily;             // one per day of the period
};

struct ReportForecast {
  Decimal amount;
  bool cost_explorer = false;  // else a run-rate projection
  std::string note;            // how it was projected
  std::optional<Decimal> lower;
  std::optional<Decimal> upper;
};

struct Report {
  std::string month;  // YYYY-MM of a month query, else ""
  Day from;
  Day to;  // exclusive
  Day previous_from;
  Day previous_to;
  std::string by;  // service, account, tag:KEY
  std::string source;
  std::string metric;
  std::string unit;
  ReportGroup total;  // key "", name "Total"
  std::vector<Day> days;
  std::vector<ReportGroup> groups;  // by amount, biggest first; "other" last
  std::optional<ReportForecast> forecast;
  std::vector<store::AlarmState> alarms;
  std::vector<std::string> notes;
};

// What the figures need besides the query.
struct ReportInputs {
  std::span<const alarms::DayCost> costs;  // the source's costs of the period and the previous
  bool estimated = false;                  // AWS still estimates some rows of the period
  std::optional<Day> stored_from;          // the first day stored among those read
  std::optional<Decimal> forecast_rest;    // Cost Explorer's, from today to month end, cached
  std::vector<store::AlarmState> alarms;
};

// The report of `period` from `inputs`; an error only for costs in more than one currency.
Result<Report> ComputeReport(const ReportQuery& query, const ReportPeriod& period,
                             const ReportInputs& inputs, Day today);

// What the report needs to know of its source (from the config).
struct ReportSource {
  std::string granularity = "DAILY";                            // how its rows are stored
  std::string filter_json;                                      // part of a cached forecast's key
  std::vector<ce::GroupBy> group_by{{"DIMENSION", "SERVICE"}};  // the source's group_by
};

// The metric a report shows when none is asked for: the source's first cost metric (as its
// config lists them), AmortizedCost when it pulls none.
std::string DefaultCostMetric(const std::vector<std::string>& source_metrics);

// Whether the source groups its costs the way the query reports them; else a one-line error
// saying what to configure.
Result<void> CheckGrouping(const ReportQuery& query, const ReportSource& source);

// Reads the rows, alarm states and cached forecast from `store` (read-only use) and computes
// the report for `today` (UTC). A tag:KEY query of a source that does not group by TAG:KEY is a
// one-line error saying what to configure.
Result<Report> ReadReport(store::StateStore& store, const ReportQuery& query,
                          const ReportSource& source, Day today);

// The report as the JSON of docs/report.md (also the dashboard's /api/report), one line.
std::string ReportJson(const Report& report);

}  // namespace costwatch::report
