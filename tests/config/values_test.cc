#include "config/values.h"

#include <gtest/gtest.h>

namespace costwatch::config {
namespace {

using std::chrono::milliseconds;

TEST(ConfigValues, Durations) {
  EXPECT_EQ(*ParseDuration("30s"), milliseconds(30'000));
  EXPECT_EQ(*ParseDuration("5m"), milliseconds(300'000));
  EXPECT_EQ(*ParseDuration("6h"), milliseconds(6 * 3'600'000));
  EXPECT_EQ(*ParseDuration("1d"), milliseconds(86'400'000));
  EXPECT_EQ(*ParseDuration("250ms"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("1h30m"), milliseconds(90 * 60'000));
  EXPECT_EQ(*ParseDuration("0s"), milliseconds(0));
  for (const char* bad :
       {"", "30", "s", "5 m", "5min", "-5s", "1.5h", "1y", "99999999999999999999s", "999999999d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
}

TEST(ConfigValues, FormatDuration) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(90 * 60'000)), "1h30m");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatDuration(milliseconds(86'400'000)), "1d");
}

TEST(ConfigValues, Sizes) {
  EXPECT_EQ(*ParseSize("1048576"), 1048576U);
  EXPECT_EQ(*ParseSize("100MB"), 100'000'000U);
  EXPECT_EQ(*ParseSize("100MiB"), 100U << 20);
  EXPECT_EQ(*ParseSize("1GiB"), 1ULL << 30);
  EXPECT_EQ(*ParseSize("1gib"), 1ULL << 30);
  EXPECT_EQ(*ParseSize("2 kB"), 2000U);
  EXPECT_EQ(*ParseSize("3KiB"), 3072U);
  EXPECT_EQ(*ParseSize("1TiB"), 1ULL << 40);
  EXPECT_EQ(*ParseSize("512B"), 512U);
  for (const char* bad : {"", "MB", "1.5GB", "-1", "10XB", "99999999999TiB"}) {
    EXPECT_FALSE(ParseSize(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatSize(100U << 20), "100MiB");
  EXPECT_EQ(FormatSize(1000), "1000B");
}

TEST(ConfigValues, Clock) {
  EXPECT_EQ(ParseClock("02:00")->count(), 120);
  EXPECT_EQ(ParseClock("00:00")->count(), 0);
  EXPECT_EQ(ParseClock("23:59")->count(), 23 * 60 + 59);
  for (const char* bad : {"24:00", "2:00", "02:60", "0200", "02:00:00", "ab:cd", ""}) {
    EXPECT_FALSE(ParseClock(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatClock(std::chrono::minutes(125)), "02:05");
}

TEST(ConfigValues, Names) {
  EXPECT_TRUE(IsValidName("prod-by_account2"));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName("Prod"));
  EXPECT_FALSE(IsValidName("a b"));
  EXPECT_FALSE(IsValidName("a.b"));
}

TEST(ConfigValues, TimeZones) {
  EXPECT_TRUE(TimeZoneExists("UTC"));
  EXPECT_TRUE(TimeZoneExists("Europe/Paris"));
  EXPECT_TRUE(TimeZoneExists("America/Argentina/Buenos_Aires"));
  EXPECT_FALSE(TimeZoneExists("Europe/Pariss"));
  EXPECT_FALSE(TimeZoneExists("Europe"));  // a directory, not a zone
  EXPECT_FALSE(TimeZoneExists("../../etc/passwd"));
  EXPECT_FALSE(TimeZoneExists("/etc/localtime"));
  EXPECT_FALSE(TimeZoneExists(""));
}

}  // namespace
}  // namespace costwatch::config
