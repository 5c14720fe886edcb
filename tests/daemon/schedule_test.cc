#include "daemon/schedule.h"

#include <gtest/gtest.h>

#include "util/dates.h"

namespace costwatch::daemon {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Clock::time_point At(const char* date, int hour, int minute = 0) {
  return Clock::time_point{*ParseDate(date)} + hours(hour) + minutes(minute);
}

Schedule Daily(int hour, std::string zone = "UTC") {
  Schedule schedule;
  schedule.daily_at = minutes(hour * 60);
  schedule.timezone = std::move(zone);
  return schedule;
}

TEST(Schedule, DailyPullIsDueOncePerDayAfterItsHour) {
  const auto schedule = Daily(2);
  EXPECT_TRUE(*PullDue(schedule, std::nullopt, At("2026-11-23", 1)));
  // Pulled at 02:00:05 today: nothing new until tomorrow's 02:00.
  const auto pulled = At("2026-11-23", 2) + std::chrono::seconds(5);
  EXPECT_FALSE(*PullDue(schedule, pulled, At("2026-11-23", 23)));
  EXPECT_FALSE(*PullDue(schedule, pulled, At("2026-11-24", 1, 59)));
  EXPECT_TRUE(*PullDue(schedule, pulled, At("2026-11-24", 2)));
}

TEST(Schedule, ARestartAfterAMissedPullCatchesUp) {
  const auto schedule = Daily(2);
  EXPECT_TRUE(*PullDue(schedule, At("2026-11-22", 2), At("2026-11-23", 9)));
}

TEST(Schedule, NextWakeIsTheNextPlannedTimePlusJitter) {
  auto schedule = Daily(2);
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 1), 0.0), At("2026-11-23", 2));
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 2), 0.0), At("2026-11-24", 2));
  schedule.jitter = std::chrono::seconds(600);
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 1), 0.5), At("2026-11-23", 2, 5));
}

TEST(Schedule, TimeZonesAndDaylightSavingAreHonoured) {
  // 02:00 in Berlin is 01:00 UTC in winter and 00:00 UTC in summer.
  EXPECT_EQ(*LocalTimeOfDay("Europe/Berlin", At("2026-11-23", 12), minutes(120)),
            At("2026-11-23", 1));
  EXPECT_EQ(*LocalTimeOfDay("Europe/Berlin", At("2026-07-01", 12), minutes(120)),
            At("2026-07-01", 0));
  // Late on the 23rd in UTC is already the 24th in Tokyo.
  EXPECT_EQ(*LocalTimeOfDay("Asia/Tokyo", At("2026-11-23", 20), minutes(120)),
            At("2026-11-23", 17));
  EXPECT_EQ(std::getenv("TZ"), nullptr);
}

TEST(Schedule, IntervalsAlignToTheEpoch) {
  Schedule schedule;
  schedule.interval = std::chrono::seconds(6 * 3600);
  EXPECT_EQ(*LatestPlanned(schedule, At("2026-11-23", 7)), At("2026-11-23", 6));
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 7), 0.0), At("2026-11-23", 12));
  EXPECT_FALSE(*PullDue(schedule, At("2026-11-23", 6, 1), At("2026-11-23", 11)));
  EXPECT_TRUE(*PullDue(schedule, At("2026-11-23", 6, 1), At("2026-11-23", 12)));
}

TEST(Schedule, DailyAndIntervalCombine) {
  auto schedule = Daily(2);
  schedule.interval = std::chrono::seconds(8 * 3600);
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 1), 0.0), At("2026-11-23", 2));
  EXPECT_EQ(*NextWake(schedule, At("2026-11-23", 3), 0.0), At("2026-11-23", 8));
}

TEST(Schedule, RefusesUnknownZonesAndEmptySchedules) {
  auto bad = LocalTimeOfDay("Mars/Olympus_Mons", At("2026-11-23", 1), minutes(0));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("unknown time zone \"Mars/Olympus_Mons\""), std::string::npos);
  EXPECT_FALSE(LocalTimeOfDay("../../etc/passwd", At("2026-11-23", 1), minutes(0)));
  EXPECT_FALSE(LatestPlanned(Schedule{}, At("2026-11-23", 1)));
}

}  // namespace
}  // namespace costwatch::daemon
