#include "cli/status_format.h"

#include <ctime>

namespace costwatch::cli {
namespace {

std::string FormatTime(std::optional<store::TimePoint> when) {
  if (!when) return "never";
  const std::time_t t = std::chrono::system_clock::to_time_t(*when);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[32];
  if (std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0) return "?";
  return buffer;
}

}  // namespace

std::string FormatCents(std::int64_t cents) {
  const bool negative = cents < 0;
  const std::int64_t magnitude = negative ? -cents : cents;
  const std::int64_t fraction = magnitude % 100;
  return std::string(negative ? "-$" : "$") + std::to_string(magnitude / 100) + "." +
         (fraction < 10 ? "0" : "") + std::to_string(fraction);
}

namespace {

constexpr std::string_view kNotifierPrefix = "notifier:";

std::string FormatQueue(const store::SinkStatus& sink, std::string_view name) {
  std::string out =
      "  " + std::string(name) + ": " + std::to_string(sink.outbox_depth) + " waiting";
  if (sink.oldest_waiting) out += " (oldest " + FormatTime(sink.oldest_waiting) + ")";
  out += ", " + std::to_string(sink.delivered) + " delivered (last " +
         FormatTime(sink.last_delivery) + "), " + std::to_string(sink.dead_letters) +
         " dead letters\n";
  if (sink.last_error) {
    out += "    last error " + FormatTime(sink.last_error_at) + ": " + *sink.last_error + "\n";
  }
  return out;
}

}  // namespace

std::string FormatAlarms(std::span<const store::AlarmState> alarms) {
  std::string out;
  for (const auto& alarm : alarms) {
    out += "  " + alarm.rule + (alarm.alarm.empty() ? "" : " (" + alarm.alarm + ")") + ": " +
           alarm.state + " since " + FormatTime(alarm.since) + "\n    " + alarm.reason + "\n";
  }
  return out;
}

std::string FormatStatus(const std::string& state_path, const store::StoreStatus& status,
                         std::span<const store::DeadLetter> dead_letters,
                         std::span<const store::AlarmState> alarms,
                         std::span<const std::pair<std::string, std::string>> digests) {
  std::string out = "state: " + state_path + "\n";
  out += "paid Cost Explorer requests: " + std::to_string(status.requests.today) + " today (" +
         FormatCents(status.requests.today_cents()) + "), " +
         std::to_string(status.requests.this_month) + " this month (" +
         FormatCents(status.requests.month_cents()) + ")\n";
  out += "\nsources:\n";
  if (status.sources.empty()) out += "  (none pulled yet)\n";
  for (const auto& source : status.sources) {
    out += "  " + source.source + ": last pull " + FormatTime(source.checkpoint.fetched_at) + " (" +
           source.checkpoint.window_start + " to " + source.checkpoint.window_end + "), " +
           std::to_string(source.rows) + " rows, " + std::to_string(source.checkpoint.fetches) +
           " pulls\n";
  }
  // Notifications wait in the same outbox as events, in one queue per notifier.
  std::string sinks;
  std::string notifiers;
  for (const auto& sink : status.sinks) {
    if (std::string_view(sink.sink).starts_with(kNotifierPrefix)) {
      notifiers += FormatQueue(sink, std::string_view(sink.sink).substr(kNotifierPrefix.size()));
    } else {
      sinks += FormatQueue(sink, sink.sink);
    }
  }
  out += "\nsinks:\n" + (sinks.empty() ? "  (none yet)\n" : sinks);
  if (!notifiers.empty()) out += "\nnotifiers:\n" + notifiers;
  if (!alarms.empty()) out += "\nalarms:\n" + FormatAlarms(alarms);
  // Only when a period was queued: its messages then travel like any notification (above).
  if (!digests.empty()) out += "\ndigests:\n";
  for (const auto& [digest, period] : digests) {
    out += "  ";
    out += digest;
    out += ": last period ";
    out += period;
    out += ", queued to its notifiers\n";
  }
  if (!dead_letters.empty()) {
    out += "\ndead letters (newest first, at most " + std::to_string(dead_letters.size()) + "):\n";
    for (const auto& letter : dead_letters) {
      out += "  " + letter.sink + " " + letter.event_id + " " + FormatTime(letter.failed_at) +
             ": " + letter.reason + "\n";
    }
  }
  return out;
}

}  // namespace costwatch::cli
