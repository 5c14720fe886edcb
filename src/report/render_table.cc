// ReportTable: the report for a terminal, every line at most `width` columns.
#include <algorithm>
#include <chrono>

#include "digests/figures.h"
#include "report/render.h"
#include "util/dates.h"

namespace costwatch::report {
namespace {

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::size_t kMinNameWidth = 12;
constexpr std::size_t kMaxSparkline = 31;

struct Columns {
  std::size_t name = 0;
  std::size_t amount = 6;  // "Amount"
  std::size_t share = 6;   // "100.0%"
  std::size_t change = 7;  // "+100.0%"
  std::size_t spark = 0;
};

std::string PadRight(std::string_view text, std::size_t width) {
  std::string out(text);
  const std::size_t used = DisplayWidth(text);
  if (used < width) out.append(width - used, ' ');
  return out;
}

std::string PadLeft(std::string_view text, std::size_t width) {
  const std::size_t used = DisplayWidth(text);
  return std::string(used < width ? width - used : 0, ' ') + std::string(text);
}

class Painter {
 public:
  explicit Painter(bool colour) : colour_(colour) {}
  [[nodiscard]] std::string operator()(std::string_view code, std::string_view text) const {
    if (!colour_ || text.empty()) return std::string(text);
    return std::string(code) + std::string(text) + std::string(kReset);
  }

 private:
  bool colour_;
};

std::string ShareText(const ReportGroup& group) {
  return group.share ? group.share->ToFixed(1) + "%" : "";
}

std::string ChangeText(const ReportGroup& group) {
  if (group.change_percent) {
    return (group.change_percent->is_negative() ? "" : "+") + group.change_percent->ToFixed(1) +
           "%";
  }
  return group.amount.is_zero() ? "" : "new";
}

std::string_view ChangeColour(const ReportGroup& group) {
  if (group.change.is_zero()) return "";
  return group.change.is_negative() ? kGreen : kRed;
}

Columns Measure(const Report& report, std::size_t width) {
  Columns columns;
  const auto widen = [&](const ReportGroup& group) {
    columns.amount = std::max(columns.amount, DisplayWidth(group.amount.ToFixed(2)));
    columns.change = std::max(columns.change, DisplayWidth(ChangeText(group)));
  };
  for (const auto& group : report.groups) widen(group);
  widen(report.total);
  columns.spark = std::min(report.days.size(), kMaxSparkline);
  const std::size_t fixed = columns.amount + columns.share + columns.change + 2 + 1 + 1 + 2;
  // The name keeps a dozen columns; the sparkline sums days into fewer buckets to leave them.
  if (fixed + columns.spark + kMinNameWidth > width) {
    columns.spark = width > fixed + kMinNameWidth ? width - fixed - kMinNameWidth : 0;
  }
  columns.name = width > fixed + columns.spark ? width - fixed - columns.spark : kMinNameWidth;
  return columns;
}

std::string Row(const ReportGroup& group, const Columns& columns, const Painter& paint,
                std::string_view name_colour) {
  std::string line = paint(name_colour, PadRight(FitWidth(group.name, columns.name), columns.name));
  line += "  " + PadLeft(group.amount.ToFixed(2), columns.amount);
  line += " " + PadLeft(ShareText(group), columns.share);
  line += " " + paint(ChangeColour(group), PadLeft(ChangeText(group), columns.change));
  if (columns.spark > 0) line += "  " + paint(kCyan, Sparkline(group.daily, columns.spark));
  return line + "\n";
}

std::string ByHeading(const Report& report) {
  if (report.by == "service") return "Service";
  if (report.by == "account") return "Account";
  return "Tag " + report.by.substr(4);
}

std::string Heading(const Report& report, const Columns& columns, const Painter& paint) {
  std::string line = PadRight(FitWidth(ByHeading(report), columns.name), columns.name);
  line += "  " + PadLeft("Amount", columns.amount);
  line += " " + PadLeft("Share", columns.share);
  line += " " + PadLeft("Change", columns.change);
  if (columns.spark > 0) line += "  " + FitWidth("Per day", columns.spark);
  // The padding of the last column would only leave trailing spaces.
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return paint(kBold, line) + "\n";
}

std::string Days(Day from, Day to) {
  if (from == to) return "no complete day yet";
  const Day last = to - std::chrono::days(1);
  return from == last ? FormatDate(from) : FormatDate(from) + " to " + FormatDate(last);
}

std::string Title(const Report& report) {
  std::string title;
  if (!report.month.empty()) {
    const Day month = report.from;
    title = digests::MonthName(month);
    if (report.to < digests::AddMonths(month, 1)) title += " to date";
    title += " (" + Days(report.from, report.to) + ")";
  } else {
    title = Days(report.from, report.to);
  }
  return title + ", by " + report.by;
}

std::string Money(const std::string& text) {
  auto amount = Decimal::Parse(text);
  return amount ? amount->ToFixed(2) : text;
}

std::string AlarmLines(const Report& report, std::size_t width, const Painter& paint) {
  std::string out = paint(kBold, "Alarms") + "\n";
  for (const auto& alarm : report.alarms) {
    const std::string_view colour = alarm.state == "ALARM" ? kRed
                                    : alarm.state == "OK"  ? kGreen
                                                           : kYellow;
    const std::string label =
        alarm.state + " " + alarm.rule + (alarm.alarm.empty() ? "" : " " + alarm.alarm) + ": " +
        Money(alarm.amount) + " of " + Money(alarm.threshold) + " " + alarm.unit + ", since " +
        FormatDate(std::chrono::floor<std::chrono::days>(alarm.since));
    // Wrapped plain, then the state (the first word) painted.
    const std::string lines = Wrap(label, width, "  ");
    out += "  " + paint(colour, alarm.state) + lines.substr(2 + alarm.state.size());
    if (!alarm.reason.empty()) out += Wrap(alarm.reason, width, "    ");
  }
  return out;
}

}  // namespace

std::string ReportTable(const Report& report, const TableOptions& options) {
  const Painter paint(options.colour);
  const std::size_t width = options.width;
  std::string out = paint(kBold, FitWidth(Title(report), width)) + "\n";
  out += Wrap("Source " + report.source + " \u00b7 " + report.metric + " in " + report.unit +
                  " \u00b7 compared with " + Days(report.previous_from, report.previous_to),
              width, "");
  out += "\n";
  const Columns columns = Measure(report, width);
  out += Heading(report, columns, paint);
  for (const auto& group : report.groups) out += Row(group, columns, paint, "");
  out += Row(report.total, columns, paint, kBold);
  if (report.forecast) {
    out += "\n" + Wrap("Forecast for " + digests::MonthName(report.from) + ": " +
                           report.forecast->amount.ToFixed(2) + " " + report.unit + " (" +
                           report.forecast->note + ")",
                       width, "");
  }
  if (!report.alarms.empty()) out += "\n" + AlarmLines(report, width, paint);
  if (!report.notes.empty()) {
    out += "\n" + paint(kBold, "Notes") + "\n";
    for (const auto& note : report.notes) out += Wrap(note, width, "  ");
  }
  return out;
}

}  // namespace costwatch::report
