#include "daemon/puller.h"

#include "events/cost_event.h"
#include "util/byte_buffer.h"
#include "util/dates.h"
#include "util/json.h"

namespace costwatch::daemon {
namespace {

// A row's identity apart from its amounts: [[type, key, value], ...] as compact JSON.
std::string GroupKey(const ce::CostAndUsagePage& page, const ce::CostRow& row) {
  std::string key = "[";
  for (size_t i = 0; i < row.keys.size(); ++i) {
    if (i > 0) key += ',';
    key += '[';
    AppendJsonString(key, page.group_definitions[i].type);
    key += ',';
    AppendJsonString(key, page.group_definitions[i].key);
    key += ',';
    AppendJsonString(key, row.keys[i]);
    key += ']';
  }
  key += ']';
  return key;
}

std::chrono::sys_days FirstOfMonth(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  return std::chrono::sys_days{date.year() / date.month() / 1};
}

}  // namespace

ce::CostAndUsageQuery PullQuery(const SourceSettings& source, std::chrono::sys_days today) {
  ce::CostAndUsageQuery query = source.query;
  auto start = today - std::chrono::days{source.lookback_days};
  if (query.granularity == ce::Granularity::kMonthly) start = FirstOfMonth(start);
  query.start = FormatDate(start);
  query.end = FormatDate(today);
  ce::UseHoursIfHourly(query);
  return query;
}

SourcePuller::SourcePuller(SourceSettings source, aws::JsonServiceClient& service,
                           store::StateStore& store, std::vector<std::string> sink_names)
    : source_(std::move(source)),
      service_(service),
      client_(service),
      store_(store),
      sink_names_(std::move(sink_names)) {}

Result<PullSummary> SourcePuller::pull(const ce::CostAndUsageQuery& query,
                                       std::chrono::system_clock::time_point now,
                                       const PullProgressCallback& on_progress) {
  events::CostEventEncoder encoder({source_.event_source, query.granularity});
  const std::string granularity(ce::ToString(query.granularity));
  std::vector<store::RowRecord> rows;
  ByteBuffer scratch;
  std::optional<Error> row_error;
  const int requests_before = service_.stats().requests_sent;

  auto fetched = client_.get_cost_and_usage(
      query,
      [&](const ce::CostAndUsagePage& page, const ce::CostRow& row) {
        if (row_error) return;
        scratch.clear();
        if (auto ok = encoder.append(page, row, scratch); !ok) {
          row_error = ok.error();
          return;
        }
        std::string_view json = scratch.view();
        json.remove_suffix(1);  // the newline
        rows.push_back({granularity, std::string(row.start), GroupKey(page, row),
                        std::string(encoder.last_id()), std::string(json), row.estimated});
      },
      [&](const ce::FetchSummary& so_far) {
        if (!on_progress) return;
        on_progress({so_far.pages, so_far.rows, service_.stats().requests_sent - requests_before});
      });

  PullSummary summary;
  summary.paid_requests = service_.stats().requests_sent - requests_before;
  if (auto counted = store_.add_requests(source_.name, summary.paid_requests, now); !counted) {
    return counted.error();
  }
  if (!fetched) return fetched.error();
  if (row_error) return WithContext("GetCostAndUsage answer", *row_error);
  summary.pages = fetched->pages;

  auto recorded = store_.record_fetch(source_.name, query.start, query.end, rows, sink_names_, now);
  if (!recorded) return recorded.error();
  summary.recorded = *recorded;
  return summary;
}

}  // namespace costwatch::daemon
