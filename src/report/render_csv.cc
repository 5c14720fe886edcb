// ReportCsv: RFC 4180, one row per group with a column per day, as a spreadsheet charts it.
#include "report/render.h"
#include "util/dates.h"

namespace costwatch::report {
namespace {

void Field(std::string& line, std::string_view value) {
  if (!line.empty()) line += ',';
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    line += value;
    return;
  }
  line += '"';
  for (const char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

std::string Optional(const std::optional<Decimal>& value) {
  return value ? value->ToString() : "";
}

std::string Row(const ReportGroup& group, std::string_view key) {
  std::string line;
  Field(line, key);
  Field(line, group.name);
  Field(line, group.amount.ToString());
  Field(line, Optional(group.share));
  Field(line, group.previous.ToString());
  Field(line, group.change.ToString());
  Field(line, Optional(group.change_percent));
  for (const auto& amount : group.daily) Field(line, amount.ToString());
  return line + "\r\n";
}

}  // namespace

std::string ReportCsv(const Report& report) {
  std::string header;
  for (const std::string_view name :
       {"key", "name", "amount", "share", "previous", "change", "change_percent"}) {
    Field(header, name);
  }
  for (const auto& day : report.days) Field(header, FormatDate(day));
  std::string out = header + "\r\n";
  for (const auto& group : report.groups) out += Row(group, group.key);
  out += Row(report.total, "(total)");
  return out;
}

}  // namespace costwatch::report
