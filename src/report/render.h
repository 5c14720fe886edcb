// A Report as people read it: a table for an 80-column terminal, or CSV for a spreadsheet.
// docs/report.md shows both.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "report/report.h"
#include "util/decimal.h"

namespace costwatch::report {

struct TableOptions {
  bool colour = false;     // ANSI colours: only for a terminal (the CLI decides)
  std::size_t width = 80;  // no line is wider, in terminal columns
};

std::string ReportTable(const Report& report, const TableOptions& options);

// RFC 4180 (CRLF line ends): a header row, then one row per group and a last row for the
// total (key "(total)"), with the group's figures and one column per day.
std::string ReportCsv(const Report& report);

// --- Terminal text (terminal_text.cc) ------------------------------------------------------

// The columns `text` (UTF-8) takes in a terminal: East Asian wide characters take two,
// combining marks none.
std::size_t DisplayWidth(std::string_view text);

// `text` cut to `width` columns, ending in "…" when it was cut.
std::string FitWidth(std::string_view text, std::size_t width);

// `text` wrapped at spaces into lines of at most `width` columns, each after `indent`; a word
// longer than a line is cut.
std::string Wrap(std::string_view text, std::size_t width, std::string_view indent);

// One block character (▁ to █) per value, scaled from min(0, lowest) to max(0, highest), so
// that a credit day is lower than a day without costs; all zero: all ▁. More values than
// `width` are summed into `width` buckets of consecutive days.
std::string Sparkline(std::span<const Decimal> values, std::size_t width);

}  // namespace costwatch::report
