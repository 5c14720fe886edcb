#include "cli/report_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>

#include "cli/daemon_setup.h"
#include "cli/output.h"
#include "report/render.h"
#include "report/report.h"
#include "util/dates.h"

namespace costwatch::cli {
namespace {

// Groups a table lists by name when --top is not given; the rest are summed.
constexpr std::size_t kTableTop = 10;

Result<std::chrono::year_month> ParseMonth(const std::string& text) {
  auto day = ParseDate(text + "-01");
  if (text.size() != 7 || !day) return Fail("--month must be YYYY-MM (e.g. 2026-11), not " + text);
  const std::chrono::year_month_day date(*day);
  return date.year() / date.month();
}

Result<void> ParseBy(const std::string& text, report::ReportQuery& query) {
  if (text == "service") {
    query.by = digests::Grouping::kService;
  } else if (text == "account") {
    query.by = digests::Grouping::kAccount;
  } else if (text.starts_with("tag:") && text.size() > 4) {
    query.by = digests::Grouping::kTag;
    query.tag_key = text.substr(4);
  } else {
    return Fail("--by must be service, account or tag:KEY, not " + text);
  }
  return {};
}

Result<report::ReportQuery> Query(const ReportOptions& options) {
  report::ReportQuery query;
  if (auto by = ParseBy(options.by, query); !by) return by.error();
  if (!options.month.empty() && (!options.from.empty() || !options.to.empty()))
    return Fail("--month and --from/--to choose the period two ways; give one");
  if (!options.month.empty()) {
    auto month = ParseMonth(options.month);
    if (!month) return month.error();
    query.month = *month;
  }
  for (const auto& [flag, text, day] : {std::tuple{"--from", &options.from, &query.from},
                                        std::tuple{"--to", &options.to, &query.to}}) {
    if (text->empty()) continue;
    *day = ParseDate(*text);
    if (!*day) return Fail(std::string(flag) + " must be a date YYYY-MM-DD, not " + *text);
  }
  query.top = options.top;
  if (!query.top && options.output == "table") query.top = kTableTop;
  if (query.top && *query.top == 0) return Fail("--top must be at least 1");
  return query;
}

// The source to report: --source, else the config's only source.
Result<const config::SourceConfig*> ChosenSource(const config::Config& config,
                                                 const std::string& name) {
  std::string names;
  for (const auto& source : config.sources) {
    if (source.name == name) return &source;
    names += (names.empty() ? "" : ", ") + source.name;
  }
  if (!name.empty()) return Fail("the config has no source '" + name + "' (it has " + names + ")");
  if (config.sources.size() == 1) return &config.sources.front();
  return Fail("the config has several sources (" + names + "); choose one with --source");
}

// https://no-color.org: colour only on a terminal, and never when NO_COLOR is set.
bool UseColour() {
  const char* no_color = std::getenv("NO_COLOR");  // NOLINT(concurrency-mt-unsafe): no threads
  return isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

}  // namespace

void AddReportCommand(CLI::App& app, ReportOptions& options) {
  auto* report = app.add_subcommand(
      "report", "Month-to-date costs by service, account or tag, from the state database");
  report->add_option("--config,-c", options.config_path, "Config file");
  report->add_option("--state", options.state_path, "State database");
  report->add_option("--source", options.source,
                     "The source to report (when the config has several)");
  report->add_option("--metric", options.metric, "A cost metric the source pulls");
  report->add_option("--month", options.month, "YYYY-MM; default: this month (UTC)");
  report->add_option("--from", options.from, "First day YYYY-MM-DD, instead of --month");
  report->add_option("--to", options.to, "The day after the last day (exclusive)");
  report->add_option("--by", options.by, "service, account or tag:KEY");
  report->add_option("--output,-o", options.output, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  report->add_option("--top", options.top, "Groups listed; the rest are summed (table: 10)");
}

int RunReport(const ReportOptions& options) {
  auto query = Query(options);
  if (!query) {
    PrintError(query.error().message);
    return 2;
  }
  auto config = LoadConfigOrDefaults(options.config_path);
  if (!config) {
    PrintError(config.error().message);
    return 1;
  }
  auto source = ChosenSource(*config, options.source);
  if (!source) {
    PrintError(source.error().message);
    return 2;
  }
  query->source = (*source)->name;
  query->metric =
      options.metric.empty() ? report::DefaultCostMetric((*source)->metrics) : options.metric;
  const report::ReportSource info{std::string(ce::ToString((*source)->granularity)),
                                  (*source)->filter_json, (*source)->group_by};
  const auto today = TodayUtc();
  if (auto grouped = report::CheckGrouping(*query, info); !grouped) {
    PrintError(grouped.error().message);
    return 2;
  }
  if (auto period = report::PlanReport(*query, today); !period) {
    PrintError(period.error().message);
    return 2;
  }
  RunOptions run;
  run.state_path = options.state_path;
  auto store = InspectState(run, config->state_path);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  auto report = report::ReadReport(*store, *query, info, today);
  if (!report) {
    PrintError(report.error().message);
    return 1;
  }
  std::string out;
  if (options.output == "json") {
    out = report::ReportJson(*report) + "\n";
  } else if (options.output == "csv") {
    out = report::ReportCsv(*report);
  } else {
    out = report::ReportTable(*report, {UseColour(), 80});
  }
  if (auto written = WriteStdout(out); !written) {
    PrintError(written.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
