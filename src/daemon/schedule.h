// When the daemon pulls from Cost Explorer: at a fixed local time of day in a time zone
// (02:00 by default, when the established connectors pull yesterday), and/or every interval.
//
// A pull is due when a planned time has passed since the last pull, so a daemon restarted
// after 02:00 catches up at once, and one restarted after having pulled waits for the next
// planned time instead of paying for a request that can bring nothing new.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "util/result.h"

namespace costwatch::daemon {

using Clock = std::chrono::system_clock;

struct Schedule {
  std::optional<std::chrono::minutes> daily_at;  // minutes after local midnight
  std::string timezone = "UTC";                  // IANA name
  std::optional<std::chrono::seconds> interval;
  std::chrono::seconds jitter{0};
};

// The latest planned time at or before `now`.
Result<Clock::time_point> LatestPlanned(const Schedule& schedule, Clock::time_point now);

// The earliest planned time after `now`, plus `jitter_draw` (in [0, 1)) of the jitter.
Result<Clock::time_point> NextWake(const Schedule& schedule, Clock::time_point now,
                                   double jitter_draw);

// Whether a pull is due: never pulled, or a planned time has passed since the last pull.
Result<bool> PullDue(const Schedule& schedule, std::optional<Clock::time_point> last_pull,
                     Clock::time_point now);

// The UTC instant of `local_minutes` after midnight on the local calendar day that contains
// `at`, in `timezone`, with offsets and daylight saving from the system's zoneinfo.
Result<Clock::time_point> LocalTimeOfDay(const std::string& timezone, Clock::time_point at,
                                         std::chrono::minutes local_minutes);

// The calendar date, in `timezone`, of the instant `at`.
Result<std::chrono::sys_days> LocalDate(const std::string& timezone, Clock::time_point at);

}  // namespace costwatch::daemon
