#include "util/dates.h"

#include <gtest/gtest.h>

namespace costwatch {
namespace {

using std::chrono::days;

TEST(ParseDate, ReadsValidDates) {
  auto day = ParseDate("2024-02-29");
  ASSERT_TRUE(day);
  EXPECT_EQ(FormatDate(*day), "2024-02-29");
  EXPECT_EQ(FormatDate(*day + days{1}), "2024-03-01");
}

TEST(FormatUtcTimestamp, WritesWhatParseUtcTimestampReads) {
  const auto time = ParseUtcTimestamp("2026-11-23T05:07:09Z");
  ASSERT_TRUE(time);
  EXPECT_EQ(FormatUtcTimestamp(*time), "2026-11-23T05:07:09Z");
  EXPECT_EQ(FormatUtcTimestamp(*time + std::chrono::hours(19)), "2026-11-24T00:07:09Z");
}

TEST(ParseDate, RefusesImpossibleAndMalformedDates) {
  for (const char* text : {"2023-02-29", "2023-13-01", "2023-1-01", "20230101", "2023-01-01T00", "",
                           "abcd-ef-gh", "2023-00-10"}) {
    EXPECT_FALSE(ParseDate(text)) << text;
  }
}

TEST(ParseUtcTimestamp, ReadsCostExplorerHours) {
  auto stamp = ParseUtcTimestamp("2023-01-27T05:00:00Z");
  ASSERT_TRUE(stamp);
  EXPECT_EQ(*stamp - std::chrono::sys_seconds{*ParseDate("2023-01-27")}, std::chrono::hours{5});
}

TEST(ParseUtcTimestamp, RefusesOtherForms) {
  for (const char* text : {"2023-01-27T05:00:00", "2023-01-27T24:00:00Z", "2023-01-27 05:00:00Z",
                           "2023-01-27T05:00:00+01:00", "2023-02-30T00:00:00Z"}) {
    EXPECT_FALSE(ParseUtcTimestamp(text)) << text;
  }
}

}  // namespace
}  // namespace costwatch
