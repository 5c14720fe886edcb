#include "digests/digest.h"

#include <algorithm>
#include <map>
#include <vector>

#include "digests/figures.h"
#include "notify/digest_text.h"
#include "util/dates.h"

namespace costwatch::digests {
namespace {

using std::chrono::days;

// Movers listed: the biggest changes, whatever `top` says.
constexpr size_t kMovers = 5;

// Which part of the bill a cost is: credits and refunds are shown apart from spend.
enum class Part { kSpend, kCredit, kRefund };

Part PartOf(const alarms::DayCost& cost) {
  if (cost.record_type == "Credit") return Part::kCredit;
  if (cost.record_type == "Refund") return Part::kRefund;
  // Without RECORD_TYPE in the grouping AWS nets credits into their group; a group that is
  // negative overall can only be credits or refunds.
  if (cost.record_type.empty() && cost.amount.is_negative()) return Part::kCredit;
  return Part::kSpend;
}

std::string GroupName(const DigestConfig& config, const alarms::DayCost& cost) {
  return GroupOf(config.group_by, config.tag_key, cost).name;
}

struct Totals {
  Decimal net;
  Decimal spend;
  Decimal credits;
  Decimal refunds;
  std::map<std::string, Decimal> by_group;  // spend only
};

Totals Sum(const DigestConfig& config, std::span<const alarms::DayCost> costs, Window window) {
  const std::string from = FormatDate(window.start);
  const std::string to = FormatDate(window.end);
  Totals totals;
  for (const auto& cost : costs) {
    if (cost.day < from || cost.day >= to) continue;
    totals.net += cost.amount;
    switch (PartOf(cost)) {
      case Part::kSpend:
        totals.spend += cost.amount;
        totals.by_group[GroupName(config, cost)] += cost.amount;
        break;
      case Part::kCredit:
        totals.credits += cost.amount;
        break;
      case Part::kRefund:
        totals.refunds += cost.amount;
        break;
    }
  }
  return totals;
}

notify::DigestFigure Figure(std::string label, const Decimal& amount,
                            std::optional<Decimal> previous, std::string compared_with) {
  notify::DigestFigure figure;
  figure.label = std::move(label);
  figure.amount = amount.ToString();
  if (previous) {
    figure.previous = previous->ToString();
    figure.compared_with = std::move(compared_with);
  }
  return figure;
}

// The top groups of `main` by spend (ties by name), the rest summed, and the movers against
// `previous`.
void Rank(const DigestConfig& config, const Totals& main, const Totals& previous,
          notify::Digest& digest) {
  std::vector<std::pair<std::string, Decimal>> ranked(main.by_group.begin(), main.by_group.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const auto before = [&](const std::string& name) {
    const auto found = previous.by_group.find(name);
    return found == previous.by_group.end() ? Decimal() : found->second;
  };
  const size_t shown = std::min(ranked.size(), static_cast<size_t>(config.top));
  for (size_t i = 0; i < shown; ++i) {
    digest.top.push_back(
        {ranked[i].first, ranked[i].second.ToString(), before(ranked[i].first).ToString()});
  }
  if (ranked.size() > shown) {
    Decimal rest;
    Decimal rest_before;
    for (size_t i = shown; i < ranked.size(); ++i) {
      rest += ranked[i].second;
      rest_before += before(ranked[i].first);
    }
    const size_t count = ranked.size() - shown;
    digest.rest = notify::DigestGroup{OthersName(config.group_by, config.tag_key, count),
                                      rest.ToString(), rest_before.ToString()};
  }

  // Every group of either period, by the size of its change.
  std::map<std::string, std::pair<Decimal, Decimal>> both;
  for (const auto& [name, amount] : main.by_group) both[name].first = amount;
  for (const auto& [name, amount] : previous.by_group) both[name].second = amount;
  std::vector<std::pair<std::string, Decimal>> changes;
  for (const auto& [name, amounts] : both) {
    const Decimal change = amounts.first - amounts.second;
    if (!change.is_zero()) changes.emplace_back(name, change.is_negative() ? -change : change);
  }
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (size_t i = 0; i < changes.size() && i < kMovers; ++i) {
    const auto& amounts = both[changes[i].first];
    digest.movers.push_back(
        {changes[i].first, amounts.first.ToString(), amounts.second.ToString()});
  }
}

// " (+4.2%)" against the comparison period, or "" when there is nothing to compare with.
std::string Change(const Decimal& amount, const Decimal& previous) {
  const std::string percent = notify::ChangePercent(amount.ToString(), previous.ToString());
  return percent.empty() || percent == "new" ? "" : " (" + percent + ")";
}

void Daily(const DigestConfig& config, std::span<const alarms::DayCost> costs,
           const DigestPlan& plan, const DigestInputs& inputs, notify::Digest& digest) {
  const Day yesterday = plan.start;
  const Totals day = Sum(config, costs, {plan.start, plan.end});
  const Totals day_before = Sum(config, costs, {plan.compare_start, plan.compare_end});
  digest.figures.push_back(Figure("Yesterday (" + FormatDate(yesterday) + ")", day.net,
                                  day_before.net, "the day before"));
  const Totals week = Sum(config, costs, {plan.today - days(7), plan.today});
  const Totals week_before = Sum(config, costs, {plan.today - days(14), plan.today - days(7)});
  digest.figures.push_back(Figure("Last 7 days", week.net, week_before.net, "the 7 days before"));

  const Day month = MonthStart(yesterday);
  const Day month_end = AddMonths(month, 1);
  const Window same_days_window = SameDaysOfLastMonth(month, plan.today);
  const Totals to_date = Sum(config, costs, {month, plan.today});
  const Totals same_days = Sum(config, costs, same_days_window);
  digest.figures.push_back(Figure("Month to date (" + MonthName(month) + ")", to_date.net,
                                  same_days.net,
                                  "the same days of " + MonthName(same_days_window.start)));
  // A month that is over needs no forecast.
  if (plan.today < month_end) {
    if (auto projection = MonthEndForecast(to_date.net, month, plan.today, inputs.forecast_rest)) {
      notify::DigestFigure forecast;
      forecast.label = "Forecast for " + MonthName(month);
      forecast.amount = projection->amount.ToString();
      forecast.note = projection->note;
      digest.figures.push_back(std::move(forecast));
    }
  }
  digest.title = "AWS costs of " + FormatDate(yesterday) + ": " + day.net.ToFixed(2) + " " +
                 digest.unit + Change(day.net, day_before.net);
}

void Weekly(const DigestConfig& config, std::span<const alarms::DayCost> costs,
            const DigestPlan& plan, notify::Digest& digest) {
  const Totals week = Sum(config, costs, {plan.start, plan.end});
  const Totals before = Sum(config, costs, {plan.compare_start, plan.compare_end});
  const std::string range = FormatDate(plan.start) + " to " + FormatDate(plan.end - days(1));
  digest.figures.push_back(Figure("Week " + range, week.net, before.net, "the week before"));
  const Decimal seven = Decimal::FromInteger(7);
  digest.figures.push_back(Figure("Daily average", week.net.DividedBy(seven, 10),
                                  before.net.DividedBy(seven, 10), "the week before"));
  digest.title = "AWS costs of the week " + range + ": " + week.net.ToFixed(2) + " " + digest.unit +
                 Change(week.net, before.net);
}

void Monthly(const DigestConfig& config, std::span<const alarms::DayCost> costs,
             const DigestPlan& plan, notify::Digest& digest) {
  const Totals month = Sum(config, costs, {plan.start, plan.end});
  const Totals before = Sum(config, costs, {plan.compare_start, plan.compare_end});
  digest.figures.push_back(Figure("Bill for " + MonthName(plan.start), month.net, before.net,
                                  MonthName(plan.compare_start)));
  digest.link = std::string(kBillsUrl);
  digest.title = "AWS bill for " + MonthName(plan.start) + ": " + month.net.ToFixed(2) + " " +
                 digest.unit + Change(month.net, before.net);
}

}  // namespace

DigestPlan PlanDigest(const DigestConfig& config, Day today) {
  DigestPlan plan;
  plan.today = today;
  switch (config.kind) {
    case DigestKind::kDaily: {
      plan.start = today - days(1);
      plan.end = today;
      plan.compare_start = today - days(2);
      plan.compare_end = plan.start;
      // Last month's first day for "the same days of last month"; 14 days for the weeks.
      plan.read_from = std::min(AddMonths(MonthStart(plan.start), -1), today - days(14));
      plan.read_to = today;
      break;
    }
    case DigestKind::kWeekly:
      plan.start = today - days(7);
      plan.end = today;
      plan.compare_start = today - days(14);
      plan.compare_end = plan.start;
      plan.read_from = plan.compare_start;
      plan.read_to = today;
      break;
    case DigestKind::kMonthly:
      plan.end = MonthStart(today);
      plan.start = AddMonths(plan.end, -1);
      plan.compare_start = AddMonths(plan.end, -2);
      plan.compare_end = plan.start;
      plan.read_from = plan.compare_start;
      plan.read_to = plan.end;
      break;
  }
  return plan;
}

std::string DigestId(const DigestConfig& config, const DigestPlan& plan) {
  return config.name + "-" + FormatDate(plan.start);
}

Result<notify::Digest> ComputeDigest(const DigestConfig& config,
                                     std::span<const alarms::DayCost> costs, const DigestPlan& plan,
                                     const DigestInputs& inputs) {
  notify::Digest digest;
  digest.unit = costs.empty() ? "USD" : costs.front().unit;
  for (const auto& cost : costs) {
    if (cost.unit != digest.unit) {
      return Fail("digest " + config.name + ": source " + config.source + " has costs in " +
                  digest.unit + " and " + cost.unit + "; a digest adds one currency only");
    }
  }
  digest.id = DigestId(config, plan);
  digest.digest = config.name;
  digest.kind = std::string(KindName(config.kind));
  digest.source = config.source;
  digest.metric = config.metric;
  digest.group_by = GroupingName(config);
  digest.period_start = FormatDate(plan.start);
  digest.period_end = FormatDate(plan.end);
  digest.time = inputs.time;

  switch (config.kind) {
    case DigestKind::kDaily:
      Daily(config, costs, plan, inputs, digest);
      break;
    case DigestKind::kWeekly:
      Weekly(config, costs, plan, digest);
      break;
    case DigestKind::kMonthly:
      Monthly(config, costs, plan, digest);
      break;
  }
  const Totals main = Sum(config, costs, {plan.start, plan.end});
  const Totals previous = Sum(config, costs, {plan.compare_start, plan.compare_end});
  digest.spend = main.spend.ToString();
  digest.credits = main.credits.ToString();
  digest.refunds = main.refunds.ToString();
  Rank(config, main, previous, digest);
  if (inputs.estimated) {
    digest.notes.push_back(EstimatedNote());
  }
  if (main.by_group.empty() && main.net.is_zero()) {
    digest.notes.push_back(NothingStoredNote());
  } else if (inputs.stored_from && *inputs.stored_from > plan.read_from) {
    digest.notes.push_back(MissingDaysNote(*inputs.stored_from, plan.read_from));
  }
  return digest;
}

}  // namespace costwatch::digests
