// ReportJson: the report as docs/report.md's JSON, written by hand like the events.
#include <chrono>

#include "report/report.h"
#include "util/dates.h"
#include "util/json.h"

namespace costwatch::report {
namespace {

std::optional<std::string> Text(const std::optional<Decimal>& value) {
  return value ? std::optional<std::string>(value->ToString()) : std::nullopt;
}

// ,"key":[item,...] with each item written by `write`.
template <typename Items, typename Write>
void ArrayMember(std::string& out, std::string_view key, const Items& items, Write write) {
  AppendJsonKey(out, key);
  out += '[';
  for (const auto& item : items) {
    AppendJsonSeparator(out);
    write(item);
  }
  out += ']';
}

void Group(std::string& out, const ReportGroup& group) {
  out += '{';
  AppendJsonMember(out, "key", group.key);
  AppendJsonMember(out, "name", group.name);
  AppendJsonMember(out, "amount", group.amount.ToString());
  AppendJsonNullableMember(out, "share", Text(group.share));
  AppendJsonMember(out, "previous", group.previous.ToString());
  AppendJsonMember(out, "change", group.change.ToString());
  AppendJsonNullableMember(out, "changePercent", Text(group.change_percent));
  ArrayMember(out, "daily", group.daily,
              [&](const Decimal& amount) { AppendJsonString(out, amount.ToString()); });
  out += '}';
}

void Alarm(std::string& out, const store::AlarmState& alarm) {
  out += '{';
  AppendJsonMember(out, "rule", alarm.rule);
  AppendJsonMember(out, "alarm", alarm.alarm);
  AppendJsonMember(out, "state", alarm.state);
  AppendJsonMember(out, "amount", alarm.amount);
  AppendJsonMember(out, "threshold", alarm.threshold);
  AppendJsonMember(out, "unit", alarm.unit);
  AppendJsonMember(out, "since",
                   FormatUtcTimestamp(std::chrono::floor<std::chrono::seconds>(alarm.since)));
  AppendJsonMember(out, "reason", alarm.reason);
  out += '}';
}

void Forecast(std::string& out, const std::optional<ReportForecast>& forecast) {
  AppendJsonKey(out, "forecast");
  if (!forecast) {
    out += "null";
    return;
  }
  out += '{';
  AppendJsonMember(out, "amount", forecast->amount.ToString());
  AppendJsonMember(out, "kind", forecast->cost_explorer ? "cost-explorer" : "run-rate");
  AppendJsonNullableMember(out, "lower", Text(forecast->lower));
  AppendJsonNullableMember(out, "upper", Text(forecast->upper));
  out += '}';
}

}  // namespace

std::string ReportJson(const Report& report) {
  std::string out = "{";
  AppendJsonMember(out, "month", report.month);
  AppendJsonMember(out, "from", FormatDate(report.from));
  AppendJsonMember(out, "to", FormatDate(report.to));
  AppendJsonMember(out, "by", report.by);
  AppendJsonMember(out, "source", report.source);
  AppendJsonMember(out, "metric", report.metric);
  AppendJsonMember(out, "unit", report.unit);
  AppendJsonKey(out, "total");
  out += '{';
  AppendJsonMember(out, "amount", report.total.amount.ToString());
  AppendJsonMember(out, "previous", report.total.previous.ToString());
  AppendJsonMember(out, "change", report.total.change.ToString());
  out += '}';
  AppendJsonNullableMember(out, "changePercent", Text(report.total.change_percent));
  ArrayMember(out, "days", report.days,
              [&](const Day& day) { AppendJsonString(out, FormatDate(day)); });
  ArrayMember(out, "groups", report.groups, [&](const ReportGroup& group) { Group(out, group); });
  Forecast(out, report.forecast);
  ArrayMember(out, "alarms", report.alarms,
              [&](const store::AlarmState& alarm) { Alarm(out, alarm); });
  ArrayMember(out, "notes", report.notes,
              [&](const std::string& note) { AppendJsonString(out, note); });
  out += '}';
  return out;
}

}  // namespace costwatch::report
