// costwatch report: month-to-date costs by service, account or tag as a table, JSON or CSV,
// from the state database (read-only: it works beside a running daemon, and buys nothing).
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace costwatch::cli {

struct ReportOptions {
  std::string config_path;
  std::string state_path;
  std::string source;
  std::string metric;
  std::string month;  // YYYY-MM; empty: this month
  std::string from;   // YYYY-MM-DD, with `to` (exclusive) instead of a month
  std::string to;
  std::string by = "service";  // service, account, tag:KEY
  std::string output = "table";
  std::optional<std::size_t> top;  // table: 10 when not given; json, csv: every group
};

void AddReportCommand(CLI::App& app, ReportOptions& options);

// 0 printed, 1 the state or config cannot be read, 2 bad input.
int RunReport(const ReportOptions& options);

}  // namespace costwatch::cli
