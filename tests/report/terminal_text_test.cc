// Display widths, ellipses, wrapping and sparklines.
#include <gtest/gtest.h>

#include <vector>

#include "report/render.h"

namespace costwatch::report {
namespace {

std::vector<Decimal> Values(std::initializer_list<const char*> texts) {
  std::vector<Decimal> values;
  for (const char* text : texts) values.push_back(*Decimal::Parse(text));
  return values;
}

TEST(DisplayWidth, CountsTerminalColumns) {
  EXPECT_EQ(DisplayWidth("Amazon S3"), 9U);
  EXPECT_EQ(DisplayWidth("\u00dcberwachung"), 11U);  // Ü is one column, two bytes
  EXPECT_EQ(DisplayWidth("\u6771\u4eac"), 4U);       // 東京: wide
  EXPECT_EQ(DisplayWidth("e\u0301"), 1U);            // a combining accent takes none
  EXPECT_EQ(DisplayWidth("\u2581\u2588"), 2U);
}

TEST(FitWidth, ShortensWithAnEllipsis) {
  EXPECT_EQ(FitWidth("Amazon S3", 9), "Amazon S3");
  EXPECT_EQ(FitWidth("Amazon Simple Storage Service", 10), "Amazon Si\u2026");
  EXPECT_EQ(DisplayWidth(FitWidth("Amazon Simple Storage Service", 10)), 10U);
  // A wide character that would straddle the edge is left out.
  EXPECT_EQ(FitWidth("ab\u6771\u4eac", 4), "ab\u2026");
}

TEST(Wrap, BreaksAtSpacesWithinTheWidth) {
  EXPECT_EQ(Wrap("one two three four", 11, "  "), "  one two\n  three\n  four\n");
  EXPECT_EQ(Wrap("abcdefghijkl", 6, ""), "abcde\u2026\n");
}

TEST(Sparkline, ScalesFromZeroToTheHighestDay) {
  EXPECT_EQ(Sparkline(Values({"0", "3.5", "7"}), 31), "\u2581\u2585\u2588");
  EXPECT_EQ(Sparkline(Values({"2", "2"}), 31), "\u2588\u2588");  // no zero day: still from 0
}

TEST(Sparkline, AllZeroIsFlat) {
  EXPECT_EQ(Sparkline(Values({"0", "0", "0"}), 31), "\u2581\u2581\u2581");
  EXPECT_EQ(Sparkline({}, 31), "");
}

TEST(Sparkline, CreditDaysAreBelowDaysWithoutCosts) {
  // -1 is the bottom, 0 half way, 1 the top.
  EXPECT_EQ(Sparkline(Values({"-1", "0", "1"}), 31), "\u2581\u2585\u2588");
  EXPECT_EQ(Sparkline(Values({"-4", "0"}), 31), "\u2581\u2588");
}

TEST(Sparkline, SumsDaysIntoBucketsWhenNarrow) {
  // Four days in two buckets: 1+1 and 0+0.
  EXPECT_EQ(Sparkline(Values({"1", "1", "0", "0"}), 2), "\u2588\u2581");
}

}  // namespace
}  // namespace costwatch::report
