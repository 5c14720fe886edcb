#include "digests/figures.h"

#include <array>

#include "alarms/forecasts.h"
#include "costexplorer/forecast.h"
#include "util/dates.h"

namespace costwatch::digests {

using std::chrono::months;
using std::chrono::year_month_day;

Day MonthStart(Day day) {
  const year_month_day date(day);
  return Day(date.year() / date.month() / 1);
}

Day AddMonths(Day month_start, int count) {
  return Day(year_month_day(month_start) + months(count));
}

std::string MonthName(Day day) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const year_month_day date(day);
  return std::string(kMonths.at(static_cast<unsigned>(date.month()) - 1)) + " " +
         std::to_string(static_cast<int>(date.year()));
}

CostGroup GroupOf(Grouping grouping, const std::string& tag_key, const alarms::DayCost& cost) {
  switch (grouping) {
    case Grouping::kService:
      return {cost.service, cost.service.empty() ? "(no service)" : cost.service};
    case Grouping::kAccount:
      if (cost.account.empty()) return {"", "(no account)"};
      return {cost.account, cost.account_name.empty()
                                ? cost.account
                                : cost.account + " (" + cost.account_name + ")"};
    case Grouping::kTag:
      for (const auto& [key, value] : cost.tags) {
        if (key == tag_key) return {value, value.empty() ? "(untagged)" : tag_key + "=" + value};
      }
      return {"", "(untagged)"};
  }
  return {};
}

std::string OthersName(Grouping grouping, const std::string& tag_key, std::size_t count) {
  const bool one = count == 1;
  std::string noun;
  switch (grouping) {
    case Grouping::kService:
      noun = one ? "other service" : "other services";
      break;
    case Grouping::kAccount:
      noun = one ? "other account" : "other accounts";
      break;
    case Grouping::kTag:
      noun = std::string(one ? "other value" : "other values") + " of tag " + tag_key;
      break;
  }
  return std::to_string(count) + " " + noun;
}

Window SameDaysOfLastMonth(Day month, Day end) {
  const Day last_month = AddMonths(month, -1);
  return {last_month, std::min(last_month + (end - month), month)};
}

std::optional<Projection> MonthEndForecast(const Decimal& to_date, Day month, Day today,
                                           const std::optional<Decimal>& forecast_rest) {
  if (forecast_rest) return Projection{to_date + *forecast_rest, "Cost Explorer forecast", true};
  const auto elapsed = (today - month).count();
  if (elapsed <= 0) return std::nullopt;
  const auto in_month = (AddMonths(month, 1) - month).count();
  // Ten places: as precise as the amounts Cost Explorer sends.
  return Projection{
      (to_date * Decimal::FromInteger(in_month)).DividedBy(Decimal::FromInteger(elapsed), 10),
      "run-rate projection: month to date \u00d7 " + std::to_string(in_month) + " days \u00f7 " +
          std::to_string(elapsed),
      false};
}

Result<std::optional<Decimal>> CachedForecastRest(store::StateStore& store,
                                                  const ForecastScope& scope, Day utc_today,
                                                  Day month_end) {
  auto metric = ce::ForecastMetricFor(scope.metric);
  if (!metric) return std::optional<Decimal>();
  const std::string key =
      alarms::ForecastKey(scope.source, *metric, alarms::ForecastFilter(scope.filter_json, {}),
                          FormatDate(utc_today), FormatDate(month_end));
  auto cached = store.cached_forecast(key, FormatDate(utc_today));
  if (!cached) return cached.error();
  if (!*cached || !(*cached)->amount) return std::optional<Decimal>();
  auto amount = Decimal::Parse(*(*cached)->amount, "cached forecast");
  if (!amount) return amount.error();
  return std::optional<Decimal>(*amount);
}

std::string EstimatedNote() {
  return "AWS still marks some of these costs as estimated; they may change until AWS "
         "finalises them.";
}

std::string NothingStoredNote() {
  return "No costs are stored for this period.";
}

std::string MissingDaysNote(Day stored_from, Day read_from) {
  // A comparison with half a month stored reads as a spike: say so rather than let it pass.
  return "No costs are stored before " + FormatDate(stored_from) +
         ", so the comparison misses days from " + FormatDate(read_from) +
         "; `costwatch backfill --from " + FormatDate(read_from) + "` fills them in.";
}

}  // namespace costwatch::digests
