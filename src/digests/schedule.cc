#include "digests/schedule.h"

#include "daemon/schedule.h"

namespace costwatch::digests {
namespace {

using std::chrono::days;
using std::chrono::hours;

// How far a search for a slot looks: a monthly digest's day comes round within 31 days.
constexpr int kSearchDays = 32;

bool SlotDay(const DigestConfig& config, Day date) {
  switch (config.kind) {
    case DigestKind::kDaily:
      return true;
    case DigestKind::kWeekly:
      return std::chrono::weekday(date) == config.weekday;
    case DigestKind::kMonthly:
      return static_cast<unsigned>(std::chrono::year_month_day(date).day()) == config.day;
  }
  return false;
}

// The slot of the local day `offset` days from the one containing `now`, if that day is one.
// Noon is the anchor: a day-sized step from local noon never leaves the intended local day,
// daylight saving or not.
Result<std::optional<Slot>> SlotOn(const DigestConfig& config, Clock::time_point now, int offset) {
  auto noon = daemon::LocalTimeOfDay(config.timezone, now, hours(12));
  if (!noon) return noon.error();
  const Clock::time_point anchor = *noon + hours(24) * offset;
  auto date = daemon::LocalDate(config.timezone, anchor);
  if (!date) return date.error();
  if (!SlotDay(config, *date)) return std::optional<Slot>();
  auto at = daemon::LocalTimeOfDay(config.timezone, anchor, config.at);
  if (!at) return at.error();
  return std::optional<Slot>(Slot{*at, *date});
}

}  // namespace

Result<Slot> LatestSlot(const DigestConfig& config, Clock::time_point now) {
  for (int offset = 0; offset > -kSearchDays; --offset) {
    auto slot = SlotOn(config, now, offset);
    if (!slot) return slot.error();
    if (*slot && (*slot)->at <= now) return **slot;
  }
  return Fail("digest " + config.name + ": no slot in the last " + std::to_string(kSearchDays) +
              " days");
}

Result<Slot> NextSlot(const DigestConfig& config, Clock::time_point now) {
  for (int offset = 0; offset < kSearchDays; ++offset) {
    auto slot = SlotOn(config, now, offset);
    if (!slot) return slot.error();
    if (*slot && (*slot)->at > now) return **slot;
  }
  return Fail("digest " + config.name + ": no slot in the next " + std::to_string(kSearchDays) +
              " days");
}

}  // namespace costwatch::digests
