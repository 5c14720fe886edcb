// Digest slots: the latest one at or before now, in the digest's time zone.
#include "digests/schedule.h"

#include <gtest/gtest.h>

#include "util/dates.h"

namespace costwatch::digests {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Clock::time_point At(const char* day, int hour, int minute = 0) {
  return *ParseDate(day) + hours(hour) + minutes(minute);
}

DigestConfig Daily(std::string timezone = "UTC") {
  DigestConfig config;
  config.name = "d";
  config.at = hours(8);
  config.timezone = std::move(timezone);
  return config;
}

TEST(DigestSchedule, DailySlotIsTodayOnceItsTimeHasPassed) {
  auto before = LatestSlot(Daily(), At("2026-11-29", 7, 59));
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_EQ(before->at, At("2026-11-28", 8));
  EXPECT_EQ(FormatDate(before->local_date), "2026-11-28");
  auto after = LatestSlot(Daily(), At("2026-11-29", 8));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->at, At("2026-11-29", 8));
  auto next = NextSlot(Daily(), At("2026-11-29", 8));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->at, At("2026-11-30", 8));
}

TEST(DigestSchedule, TheTimeZoneDecidesTheLocalDate) {
  // 08:00 in Tokyo is 23:00 UTC the day before.
  auto slot = LatestSlot(Daily("Asia/Tokyo"), At("2026-11-29", 0));
  ASSERT_TRUE(slot.ok()) << slot.error().message;
  EXPECT_EQ(slot->at, At("2026-11-28", 23));
  EXPECT_EQ(FormatDate(slot->local_date), "2026-11-29");
  // Across the end of daylight saving in Paris (2026-10-25): still 08:00 local.
  auto paris = LatestSlot(Daily("Europe/Paris"), At("2026-10-25", 12));
  ASSERT_TRUE(paris.ok());
  EXPECT_EQ(paris->at, At("2026-10-25", 7));
  auto summer = LatestSlot(Daily("Europe/Paris"), At("2026-10-24", 12));
  ASSERT_TRUE(summer.ok());
  EXPECT_EQ(summer->at, At("2026-10-24", 6));
}

TEST(DigestSchedule, WeeklyAndMonthlySlotsFallOnTheirDay) {
  DigestConfig weekly = Daily();
  weekly.kind = DigestKind::kWeekly;
  weekly.weekday = std::chrono::Monday;
  auto week = LatestSlot(weekly, At("2026-11-29", 12));  // a Sunday
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(FormatDate(week->local_date), "2026-11-23");

  DigestConfig monthly = Daily();
  monthly.kind = DigestKind::kMonthly;
  monthly.day = 3;
  auto month = LatestSlot(monthly, At("2026-12-02", 12));
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(FormatDate(month->local_date), "2026-11-03");
  auto next = NextSlot(monthly, At("2026-12-02", 12));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->at, At("2026-12-03", 8));
}

}  // namespace
}  // namespace costwatch::digests
