#include "report/report.h"

#include <algorithm>
#include <map>

#include "digests/figures.h"
#include "util/dates.h"

namespace costwatch::report {
namespace {

using std::chrono::year_month_day;

// One group's sums while the costs are read.
struct Sums {
  std::string name;
  Decimal amount;
  Decimal previous;
  std::vector<Decimal> daily;
};

// `part` as a percent of `whole`, 1 place; nullopt unless the whole is positive.
std::optional<Decimal> ShareOf(const Decimal& part, const Decimal& whole) {
  if (whole.is_zero() || whole.is_negative()) return std::nullopt;
  return (part * Decimal::FromInteger(100)).DividedBy(whole, 1);
}

// The change against `previous` in percent of its magnitude, 1 place; nullopt when there was
// nothing before.
std::optional<Decimal> ChangePercent(const Decimal& change, const Decimal& previous) {
  if (previous.is_zero()) return std::nullopt;
  const Decimal magnitude = previous.is_negative() ? -previous : previous;
  return (change * Decimal::FromInteger(100)).DividedBy(magnitude, 1);
}

ReportGroup Finish(std::string key, Sums sums, const Decimal& total) {
  ReportGroup group;
  group.key = std::move(key);
  group.name = std::move(sums.name);
  group.amount = sums.amount;
  group.share = ShareOf(sums.amount, total);
  group.previous = sums.previous;
  group.change = sums.amount - sums.previous;
  group.change_percent = ChangePercent(group.change, group.previous);
  group.daily = std::move(sums.daily);
  return group;
}

// The groups past `top` summed into one, listed last.
void SumTheRest(const ReportQuery& query, const Decimal& total, std::vector<ReportGroup>& groups) {
  if (!query.top || groups.size() <= *query.top) return;
  Sums rest;
  rest.name = digests::OthersName(query.by, query.tag_key, groups.size() - *query.top);
  rest.daily.resize(groups.front().daily.size());
  for (auto group = groups.begin() + static_cast<std::ptrdiff_t>(*query.top); group != groups.end();
       ++group) {
    rest.amount += group->amount;
    rest.previous += group->previous;
    for (std::size_t i = 0; i < rest.daily.size(); ++i) rest.daily[i] += group->daily[i];
  }
  groups.resize(*query.top);
  groups.push_back(Finish("(other)", std::move(rest), total));
}

std::string ByName(const ReportQuery& query) {
  switch (query.by) {
    case digests::Grouping::kService:
      return "service";
    case digests::Grouping::kAccount:
      return "account";
    case digests::Grouping::kTag:
      return "tag:" + query.tag_key;
  }
  return "service";
}

std::string MonthText(Day month) {
  return FormatDate(month).substr(0, 7);
}

void AddNotes(const ReportPeriod& period, const ReportInputs& inputs, Report& report) {
  if (inputs.estimated) report.notes.push_back(digests::EstimatedNote());
  if (period.from == period.to && period.month) {
    report.notes.push_back("No day of " + digests::MonthName(*period.month) +
                           " is complete yet; `costwatch report --month " +
                           MonthText(digests::AddMonths(*period.month, -1)) +
                           "` shows the month before.");
  } else if (inputs.costs.empty()) {
    report.notes.push_back(digests::NothingStoredNote());
  } else if (inputs.stored_from && *inputs.stored_from > period.previous_from) {
    report.notes.push_back(digests::MissingDaysNote(*inputs.stored_from, period.previous_from));
  }
}

}  // namespace

Result<ReportPeriod> PlanReport(const ReportQuery& query, Day today) {
  ReportPeriod period;
  if (query.from || query.to) {
    if (!query.from || !query.to) return Fail("--from and --to go together");
    if (*query.to <= *query.from) {
      return Fail("the range " + FormatDate(*query.from) + " to " + FormatDate(*query.to) +
                  " is empty: --to is the day after the last day shown");
    }
    period.from = *query.from;
    period.to = *query.to;
    // The days just before, as many.
    period.previous_to = period.from;
    period.previous_from = period.from - (period.to - period.from);
    return period;
  }
  const year_month_day date(today);
  const auto month = query.month.value_or(date.year() / date.month());
  if (!month.ok()) return Fail("the month must be YYYY-MM with a month from 01 to 12");
  const Day first(month / 1);
  if (first > today) {
    return Fail("month " + MonthText(first) + " has not begun (today is " + FormatDate(today) +
                " UTC)");
  }
  period.month = first;
  period.from = first;
  period.to = std::min(digests::AddMonths(first, 1), today);
  const auto previous = digests::SameDaysOfLastMonth(first, period.to);
  period.previous_from = previous.start;
  period.previous_to = previous.end;
  return period;
}

Result<Report> ComputeReport(const ReportQuery& query, const ReportPeriod& period,
                             const ReportInputs& inputs, Day today) {
  Report report;
  report.unit = inputs.costs.empty() ? "USD" : inputs.costs.front().unit;
  for (const auto& cost : inputs.costs) {
    if (cost.unit != report.unit) {
      return Fail("source " + query.source + " has costs in " + report.unit + " and " + cost.unit +
                  "; a report adds one currency only");
    }
  }
  report.month = period.month ? MonthText(*period.month) : "";
  report.from = period.from;
  report.to = period.to;
  report.previous_from = period.previous_from;
  report.previous_to = period.previous_to;
  report.by = ByName(query);
  report.source = query.source;
  report.metric = query.metric;
  for (Day day = period.from; day < period.to; day += std::chrono::days(1))
    report.days.push_back(day);

  const std::string from = FormatDate(period.from);
  const std::string to = FormatDate(period.to);
  const std::string previous_from = FormatDate(period.previous_from);
  const std::string previous_to = FormatDate(period.previous_to);
  Sums total;
  total.name = "Total";
  total.daily.resize(report.days.size());
  std::map<std::string, Sums> by_key;
  for (const auto& cost : inputs.costs) {
    const bool now = cost.day >= from && cost.day < to;
    const bool before = cost.day >= previous_from && cost.day < previous_to;
    if (!now && !before) continue;
    auto group = digests::GroupOf(query.by, query.tag_key, cost);
    auto& sums = by_key[group.key];
    // Some rows name their account, some do not: keep the fuller name.
    if (group.name.size() > sums.name.size()) sums.name = std::move(group.name);
    sums.daily.resize(report.days.size());
    if (before) {
      sums.previous += cost.amount;
      total.previous += cost.amount;
      continue;
    }
    const auto day = ParseDate(cost.day);
    if (!day)
      return Fail("source " + query.source + ": a stored cost has no valid day: " + cost.day);
    const auto index = static_cast<std::size_t>((*day - period.from).count());
    sums.amount += cost.amount;
    sums.daily[index] += cost.amount;
    total.amount += cost.amount;
    total.daily[index] += cost.amount;
  }
  for (auto& [key, sums] : by_key)
    report.groups.push_back(Finish(key, std::move(sums), total.amount));
  std::stable_sort(report.groups.begin(), report.groups.end(), [](const auto& a, const auto& b) {
    return a.amount != b.amount ? a.amount > b.amount : a.name < b.name;
  });
  SumTheRest(query, total.amount, report.groups);
  const Decimal total_amount = total.amount;
  report.total = Finish("", std::move(total), total_amount);

  // Only a running month has a month end ahead to forecast.
  if (period.month && period.to == today) {
    if (auto projection = digests::MonthEndForecast(report.total.amount, *period.month, today,
                                                    inputs.forecast_rest)) {
      report.forecast = ReportForecast{projection->amount, projection->cost_explorer,
                                       projection->note, std::nullopt, std::nullopt};
    }
  }
  report.alarms = inputs.alarms;
  AddNotes(period, inputs, report);
  return report;
}

}  // namespace costwatch::report
