#include "digests/sender.h"

#include "alarms/rules/day_costs.h"
#include "digests/figures.h"
#include "util/dates.h"

namespace costwatch::digests {
namespace {

using std::chrono::days;

std::string Rfc3339(Clock::time_point now) {
  return FormatUtcTimestamp(std::chrono::floor<std::chrono::seconds>(now));
}

// Cost Explorer's forecast for [today, end of month) as an alarm bought it today, if one did.
Result<std::optional<Decimal>> CachedForecast(store::StateStore& store, const DigestConfig& config,
                                              const SourceInfo& source, const DigestPlan& plan,
                                              Clock::time_point now) {
  const Day utc_today = std::chrono::floor<days>(now);
  if (config.kind != DigestKind::kDaily || plan.today != utc_today) return std::optional<Decimal>();
  return CachedForecastRest(store, {config.source, config.metric, source.filter_json}, utc_today,
                            AddMonths(MonthStart(plan.start), 1));
}

}  // namespace

Result<notify::Digest> ReadDigest(store::StateStore& store, const DigestConfig& config,
                                  const SourceInfo& source, const DigestPlan& plan,
                                  Clock::time_point now) {
  const std::string where = "digest " + config.name;
  auto rows = store.rows(config.source, source.granularity, FormatDate(plan.read_from),
                         FormatDate(plan.read_to));
  if (!rows) return WithContext(where, rows.error());
  auto costs = alarms::ReadDayCosts(*rows, config.metric);
  if (!costs) return WithContext(where, costs.error());
  DigestInputs inputs;
  inputs.time = Rfc3339(now);
  const std::string from = FormatDate(plan.start);
  const std::string to = FormatDate(plan.end);
  std::string first_day;
  for (const auto& row : *rows) {
    const std::string day = row.period_start.substr(0, 10);
    if (row.estimated && day >= from && day < to) inputs.estimated = true;
    if (first_day.empty() || day < first_day) first_day = day;
  }
  if (!first_day.empty()) {
    if (auto day = ParseDate(first_day)) inputs.stored_from = *day;
  }
  auto forecast = CachedForecast(store, config, source, plan, now);
  if (!forecast) return WithContext(where, forecast.error());
  inputs.forecast_rest = *forecast;
  return ComputeDigest(config, *costs, plan, inputs);
}

Result<bool> Pulled(store::StateStore& store, const DigestConfig& config, const DigestPlan& plan) {
  auto checkpoint = store.checkpoint(config.source);
  if (!checkpoint) return checkpoint.error();
  if (!*checkpoint) return false;
  const auto fetched_until = ParseDate((*checkpoint)->window_end.substr(0, 10));
  return fetched_until && *fetched_until >= plan.end;
}

DigestSender::Report DigestSender::send_due(Clock::time_point now) {
  Report report;
  for (const auto& config : digests_) {
    const std::string where = "digest " + config.name;
    auto slot = LatestSlot(config, now);
    if (!slot) {
      report.errors.push_back(slot.error().message);
      continue;
    }
    const DigestPlan plan = PlanDigest(config, slot->local_date);
    const std::string period = FormatDate(plan.start);
    auto sent = store_.digest_sent(config.name, period);
    if (!sent) {
      report.errors.push_back(WithContext(where, sent.error()).message);
      continue;
    }
    if (*sent) continue;
    auto pulled = Pulled(store_, config, plan);
    if (!pulled) {
      report.errors.push_back(WithContext(where, pulled.error()).message);
      continue;
    }
    const std::string id = DigestId(config, plan);
    if (!*pulled) {
      if (said_waiting_.insert(id).second) {
        std::string waiting = where;
        waiting += " for " + period;
        waiting += " waits until source " + config.source;
        waiting += " is pulled through " + FormatDate(plan.end - days(1));
        report.waiting.push_back(std::move(waiting));
      }
      continue;
    }
    const auto found = sources_.find(config.source);
    const SourceInfo source = found == sources_.end() ? SourceInfo{} : found->second;
    auto digest = ReadDigest(store_, config, source, plan, now);
    if (!digest) {
      report.errors.push_back(digest.error().message);
      continue;
    }
    const auto messages = router_(config, *digest);
    auto recorded = store_.record_digest(config.name, period, digest->id, messages, now);
    if (!recorded) {
      report.errors.push_back(WithContext(where, recorded.error()).message);
      continue;
    }
    if (*recorded) {
      report.queued.push_back(config.name + " for " + period + " (" +
                              std::to_string(messages.size()) +
                              (messages.size() == 1 ? " message)" : " messages)"));
    }
  }
  return report;
}

std::optional<Clock::time_point> DigestSender::next_slot(Clock::time_point now) const {
  std::optional<Clock::time_point> next;
  for (const auto& config : digests_) {
    auto slot = NextSlot(config, now);
    if (slot && (!next || slot->at < *next)) next = slot->at;
  }
  return next;
}

}  // namespace costwatch::digests
