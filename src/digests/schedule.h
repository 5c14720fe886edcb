// When a digest goes out: at its time of day in its time zone, every day (daily), on its
// weekday (weekly) or on its day of the month (monthly). The daemon sends the digest of the
// latest slot that has passed, once (the state database remembers it), so a daemon that was
// down at the slot catches up when it starts, and only with the latest missed one.
#pragma once

#include <chrono>

#include "digests/digest.h"
#include "digests/digest_config.h"
#include "util/result.h"

namespace costwatch::digests {

using Clock = std::chrono::system_clock;

struct Slot {
  Clock::time_point at;
  Day local_date;  // the slot's calendar date in the digest's time zone: the plan's `today`
};

// The latest slot at or before `now`.
Result<Slot> LatestSlot(const DigestConfig& config, Clock::time_point now);

// The earliest slot after `now`.
Result<Slot> NextSlot(const DigestConfig& config, Clock::time_point now);

}  // namespace costwatch::digests
