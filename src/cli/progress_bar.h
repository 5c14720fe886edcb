// The progress line of a long backfill: months done, rows, pages and paid requests, redrawn in
// place on a terminal. Off the terminal (a pipe, a log file, CI) it draws nothing, so logs keep
// only the one-line notes.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace costwatch::cli {

struct BackfillProgress {
  int months_done = 0;
  int months_total = 0;
  std::string current;  // "source 2024-08", what is being pulled now
  long long rows = 0;
  std::int64_t pages = 0;
  std::int64_t paid_requests = 0;
};

// The line for a terminal `width` columns wide; the bar shrinks and then goes before the
// figures are cut. `unicode` draws the bar with block characters, else with '#' and '-'.
std::string FormatBackfillProgress(const BackfillProgress& progress, int width, bool unicode);

class ProgressLine {
 public:
  // Draws only when stderr is a terminal and TERM is not "dumb".
  ProgressLine();
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws at most ten times a second, unless `force`.
  void show(const BackfillProgress& progress, bool force = false);
  // Erases the line, so that a note can be printed; the next show() draws it again.
  void erase();

 private:
  bool enabled_ = false;
  bool unicode_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace costwatch::cli
