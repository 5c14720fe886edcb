#include "cli/progress_bar.h"

#include <gtest/gtest.h>

#include <string>

namespace costwatch::cli {
namespace {

BackfillProgress Halfway() {
  BackfillProgress progress;
  progress.months_done = 6;
  progress.months_total = 12;
  progress.current = "main 2024-07";
  progress.rows = 1234567;
  progress.pages = 131;
  progress.paid_requests = 131;
  return progress;
}

// Columns of UTF-8 text: the bar's blocks are one column each.
int Columns(const std::string& text) {
  int columns = 0;
  for (const char c : text) columns += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  return columns;
}

TEST(ProgressBarTest, AWideTerminalShowsTheBarAndEveryFigure) {
  const std::string line = FormatBackfillProgress(Halfway(), 130, true);
  EXPECT_EQ(line,
            "backfill [███████████████░░░░░░░░░░░░░░░] 6/12 months  main 2024-07  1,234,567 rows, "
            "131 pages, 131 paid requests ($1.31)");
  EXPECT_LT(Columns(line), 130);
}

TEST(ProgressBarTest, TheBarShrinksToFitThenGoes) {
  const std::string shrunk = FormatBackfillProgress(Halfway(), 110, false);
  EXPECT_EQ(Columns(shrunk), 109) << shrunk;
  EXPECT_EQ(shrunk.rfind("backfill [#########---------] ", 0), 0U) << shrunk;

  const std::string no_bar = FormatBackfillProgress(Halfway(), 95, false);
  EXPECT_EQ(no_bar,
            "backfill 6/12 months  main 2024-07  1,234,567 rows, 131 pages, 131 paid requests "
            "($1.31)");
}

TEST(ProgressBarTest, NarrowTerminalsLoseWordsBeforeFigures) {
  EXPECT_EQ(FormatBackfillProgress(Halfway(), 75, true),
            "backfill 6/12 months  1,234,567 rows, 131 pages, 131 paid requests ($1.31)");
  EXPECT_EQ(FormatBackfillProgress(Halfway(), 66, true),
            "backfill 6/12 months  1,234,567 rows, 131 pages, 131 paid ($1.31)");
  EXPECT_EQ(FormatBackfillProgress(Halfway(), 40, true), "backfill 6/12 months");
  EXPECT_EQ(FormatBackfillProgress(Halfway(), 10, true), "backfill ");
  EXPECT_EQ(FormatBackfillProgress(Halfway(), 0, true), "");
}

TEST(ProgressBarTest, SingularsAndCents) {
  BackfillProgress progress;
  progress.months_total = 1;
  progress.current = "main 2024-07";
  progress.rows = 1;
  progress.pages = 1;
  progress.paid_requests = 1;
  EXPECT_EQ(FormatBackfillProgress(progress, 80, false),
            "backfill 0/1 months  main 2024-07  1 row, 1 page, 1 paid request ($0.01)");
}

TEST(ProgressBarTest, TheBarIsFullOnlyWhenEveryMonthIsDone) {
  BackfillProgress progress = Halfway();
  progress.months_done = 11;
  EXPECT_NE(FormatBackfillProgress(progress, 200, false).find("#---]"), std::string::npos);
  progress.months_done = 12;
  EXPECT_NE(FormatBackfillProgress(progress, 200, false).find("##############################]"),
            std::string::npos);
}

}  // namespace
}  // namespace costwatch::cli
