#include "dashboard/report_api.h"

#include <algorithm>

#include "dashboard/api_json.h"
#include "report/report.h"

namespace costwatch::dashboard {
namespace {

web::Response Failure(int status, std::string_view message) {
  web::Response response = web::JsonResponse(ErrorJson(message));
  response.status = status;
  return response;
}

report::ReportQuery ToReportQuery(const ReportQuery& query) {
  report::ReportQuery converted;
  converted.source = query.source;
  if (query.by == "account") {
    converted.by = digests::Grouping::kAccount;
  } else if (query.by.starts_with("tag:")) {
    converted.by = digests::Grouping::kTag;
    converted.tag_key = query.by.substr(4);
  } else {
    converted.by = digests::Grouping::kService;
  }
  if (query.whole_month) {
    const std::chrono::year_month_day first(query.from);
    converted.month = first.year() / first.month();
  } else {
    converted.from = query.from;
    converted.to = query.to;
  }
  return converted;  // every group: the page sums the small ones itself
}

}  // namespace

web::Response ReportAnswer(store::StateStore& store, const config::Config& config,
                           const ReportQuery& query, std::chrono::system_clock::time_point now) {
  // The embedded default config (no file) has one source of every default.
  config::SourceConfig source;
  source.name = query.source;
  const auto configured = std::find_if(config.sources.begin(), config.sources.end(),
                                       [&](const auto& each) { return each.name == query.source; });
  if (configured != config.sources.end()) source = *configured;

  report::ReportQuery converted = ToReportQuery(query);
  converted.metric = report::DefaultCostMetric(source.metrics);
  const report::ReportSource info{std::string(ce::ToString(source.granularity)), source.filter_json,
                                  source.group_by};
  const auto today = std::chrono::floor<std::chrono::days>(now);
  // What the config or the calendar cannot answer is the asker's to change: 400.
  if (auto grouped = report::CheckGrouping(converted, info); !grouped) {
    return Failure(400, grouped.error().message);
  }
  if (auto period = report::PlanReport(converted, today); !period) {
    return Failure(400, period.error().message);
  }
  auto report = report::ReadReport(store, converted, info, today);
  if (!report) return Failure(500, report.error().message);
  return web::JsonResponse(report::ReportJson(*report));
}

}  // namespace costwatch::dashboard
