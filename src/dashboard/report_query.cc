#include "dashboard/report_query.h"

#include <algorithm>
#include <charconv>

#include "util/dates.h"

namespace costwatch::dashboard {
namespace {

using std::chrono::sys_days;

std::optional<std::string> Find(const std::map<std::string, std::string>& query,
                                const std::string& key) {
  const auto found = query.find(key);
  if (found == query.end()) return std::nullopt;
  return found->second;
}

// YYYY-MM -> its first day.
std::optional<sys_days> ParseMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  return ParseDate(std::string(text) + "-01");
}

sys_days NextMonth(sys_days first) {
  const std::chrono::year_month_day day(first);
  return sys_days((day.year() / day.month() + std::chrono::months(1)) / 1);
}

Result<void> CheckBy(const std::string& by) {
  if (by == "service" || by == "account") return {};
  if (by.starts_with("tag:") && by.size() > 4) return {};
  return Fail("by=" + by + " is not one of service, account or tag:KEY");
}

}  // namespace

Result<ReportQuery> ParseReportQuery(const std::map<std::string, std::string>& query,
                                     const config::Config& config, sys_days today) {
  for (const auto& [key, value] : query) {
    if (key != "month" && key != "from" && key != "to" && key != "by" && key != "source") {
      return Fail("unknown query parameter '" + key +
                  "'; /api/report takes month, from, to, by and source");
    }
  }
  ReportQuery parsed;
  const auto month = Find(query, "month");
  const auto from = Find(query, "from");
  const auto to = Find(query, "to");
  if (month && (from || to)) return Fail("give either month= or from= and to=, not both");
  if (from.has_value() != to.has_value()) return Fail("from= and to= go together");
  if (month) {
    const auto first = ParseMonth(*month);
    if (!first) return Fail("month=" + *month + " is not a month in YYYY-MM form");
    parsed.from = *first;
    parsed.to = NextMonth(*first);
    parsed.whole_month = true;
  } else if (from) {
    const auto start = ParseDate(*from);
    const auto end = ParseDate(*to);
    if (!start) return Fail("from=" + *from + " is not a date in YYYY-MM-DD form");
    if (!end) return Fail("to=" + *to + " is not a date in YYYY-MM-DD form");
    if (*end <= *start) return Fail("to= must be after from= (to is exclusive)");
    if ((*end - *start).count() > kMaxRangeDays) {
      return Fail("from= to to= spans more than " + std::to_string(kMaxRangeDays) + " days");
    }
    parsed.from = *start;
    parsed.to = *end;
  } else {
    const std::chrono::year_month_day day(today);
    parsed.from = sys_days(day.year() / day.month() / 1);
    parsed.to = NextMonth(parsed.from);
    parsed.whole_month = true;
  }

  if (const auto by = Find(query, "by")) parsed.by = *by;
  if (auto checked = CheckBy(parsed.by); !checked) return checked.error();

  const auto source = Find(query, "source");
  if (config.sources.empty()) {
    parsed.source = source.value_or("default");
  } else if (!source) {
    parsed.source = config.sources.front().name;
  } else {
    const bool known =
        std::any_of(config.sources.begin(), config.sources.end(),
                    [&](const auto& configured) { return configured.name == *source; });
    if (!known) return Fail("source=" + *source + " is not a configured source");
    parsed.source = *source;
  }
  return parsed;
}

}  // namespace costwatch::dashboard
