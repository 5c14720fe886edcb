// ReportJson: the report as docs/report.md's JSON, written by hand like the events.
#include <chrono>

#include "report/report.h"
#include "util/dates.h"
#include "util/json.h"

namespace costwatch::report {
namespace {

void Key(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out += ':';
}

void String(std::string& out, std::string_view key, std::string_view value) {
  Key(out, key);
  AppendJsonString(out, value);
  out += ',';
}

void Amount(std::string& out, std::string_view key, const std::optional<Decimal>& value) {
  Key(out, key);
  if (value) {
    AppendJsonString(out, value->ToString());
  } else {
    out += "null";
  }
  out += ',';
}

// Replaces the last comma with `close`.
void Close(std::string& out, char close) {
  if (out.back() == ',') {
    out.back() = close;
  } else {
    out += close;
  }
}

void Group(std::string& out, const ReportGroup& group) {
  out += '{';
  String(out, "key", group.key);
  String(out, "name", group.name);
  Amount(out, "amount", group.amount);
  Amount(out, "share", group.share);
  Amount(out, "previous", group.previous);
  Amount(out, "change", group.change);
  Amount(out, "changePercent", group.change_percent);
  Key(out, "daily");
  out += '[';
  for (const auto& amount : group.daily) {
    AppendJsonString(out, amount.ToString());
    out += ',';
  }
  Close(out, ']');
  out += '}';
}

void Alarm(std::string& out, const store::AlarmState& alarm) {
  out += '{';
  String(out, "rule", alarm.rule);
  String(out, "alarm", alarm.alarm);
  String(out, "state", alarm.state);
  String(out, "amount", alarm.amount);
  String(out, "threshold", alarm.threshold);
  String(out, "unit", alarm.unit);
  String(out, "since", FormatUtcTimestamp(std::chrono::floor<std::chrono::seconds>(alarm.since)));
  String(out, "reason", alarm.reason);
  Close(out, '}');
}

}  // namespace

std::string ReportJson(const Report& report) {
  std::string out = "{";
  String(out, "month", report.month);
  String(out, "from", FormatDate(report.from));
  String(out, "to", FormatDate(report.to));
  String(out, "by", report.by);
  String(out, "source", report.source);
  String(out, "metric", report.metric);
  String(out, "unit", report.unit);
  Key(out, "total");
  out += '{';
  Amount(out, "amount", report.total.amount);
  Amount(out, "previous", report.total.previous);
  Amount(out, "change", report.total.change);
  Close(out, '}');
  out += ',';
  Amount(out, "changePercent", report.total.change_percent);
  Key(out, "days");
  out += '[';
  for (const auto& day : report.days) {
    AppendJsonString(out, FormatDate(day));
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Key(out, "groups");
  out += '[';
  for (const auto& group : report.groups) {
    Group(out, group);
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Key(out, "forecast");
  if (report.forecast) {
    out += '{';
    Amount(out, "amount", report.forecast->amount);
    String(out, "kind", report.forecast->cost_explorer ? "cost-explorer" : "run-rate");
    Amount(out, "lower", report.forecast->lower);
    Amount(out, "upper", report.forecast->upper);
    Close(out, '}');
  } else {
    out += "null";
  }
  out += ',';
  Key(out, "alarms");
  out += '[';
  for (const auto& alarm : report.alarms) {
    Alarm(out, alarm);
    out += ',';
  }
  Close(out, ']');
  out += ',';
  Key(out, "notes");
  out += '[';
  for (const auto& note : report.notes) {
    AppendJsonString(out, note);
    out += ',';
  }
  Close(out, ']');
  out += '}';
  return out;
}

}  // namespace costwatch::report
