#include "daemon/schedule.h"

#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <mutex>

namespace costwatch::daemon {
namespace {

using std::chrono::hours;

// glibc converts local time only through the process-wide TZ variable, so conversions are
// serialised and TZ is put back afterwards. (GCC 12's <chrono> has no time zone database.)
std::mutex tz_mutex;

bool ZoneExists(const std::string& zone) {
  if (zone == "UTC") return true;
  if (zone.empty() || zone.front() == '/' || zone.find("..") != std::string::npos) return false;
  struct stat info {};
  return ::stat(("/usr/share/zoneinfo/" + zone).c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

}  // namespace

namespace {

// Runs `convert` with the process's TZ set to `timezone`, then puts TZ back.
template <class Convert>
auto InZone(const std::string& timezone, Convert convert) -> decltype(convert()) {
  std::lock_guard lock(tz_mutex);
  const char* previous = std::getenv("TZ");
  const std::string saved = previous != nullptr ? previous : "";
  ::setenv("TZ", timezone.c_str(), 1);
  ::tzset();
  auto result = convert();
  if (previous != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  return result;
}

Error UnknownZone(const std::string& timezone) {
  return Fail("unknown time zone \"" + timezone + "\" (expected an IANA name such as " +
              "Europe/Berlin; is the tzdata package installed?)");
}

}  // namespace

Result<Clock::time_point> LocalTimeOfDay(const std::string& timezone, Clock::time_point at,
                                         std::chrono::minutes local_minutes) {
  if (!ZoneExists(timezone)) return UnknownZone(timezone);
  const std::time_t result = InZone(timezone, [&] {
    const std::time_t t = Clock::to_time_t(at);
    std::tm local{};
    ::localtime_r(&t, &local);
    local.tm_hour = static_cast<int>(local_minutes.count() / 60);
    local.tm_min = static_cast<int>(local_minutes.count() % 60);
    local.tm_sec = 0;
    local.tm_isdst = -1;  // let mktime decide whether daylight saving applies then
    return std::mktime(&local);
  });
  if (result == static_cast<std::time_t>(-1)) return Fail("cannot convert local time");
  return Clock::from_time_t(result);
}

Result<std::chrono::sys_days> LocalDate(const std::string& timezone, Clock::time_point at) {
  if (!ZoneExists(timezone)) return UnknownZone(timezone);
  const std::tm local = InZone(timezone, [&] {
    const std::time_t t = Clock::to_time_t(at);
    std::tm converted{};
    ::localtime_r(&t, &converted);
    return converted;
  });
  return std::chrono::sys_days(std::chrono::year(local.tm_year + 1900) /
                               std::chrono::month(static_cast<unsigned>(local.tm_mon + 1)) /
                               std::chrono::day(static_cast<unsigned>(local.tm_mday)));
}

Result<Clock::time_point> LatestPlanned(const Schedule& schedule, Clock::time_point now) {
  std::optional<Clock::time_point> latest;
  if (schedule.daily_at) {
    auto today = LocalTimeOfDay(schedule.timezone, now, *schedule.daily_at);
    if (!today) return today;
    if (*today > now) {
      today = LocalTimeOfDay(schedule.timezone, now - hours(24), *schedule.daily_at);
      if (!today) return today;
    }
    latest = *today;
  }
  if (schedule.interval && schedule.interval->count() > 0) {
    const auto since_epoch =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    const Clock::time_point aligned{since_epoch - since_epoch % *schedule.interval};
    if (!latest || aligned > *latest) latest = aligned;
  }
  if (!latest) return Fail("the schedule has neither a daily time nor an interval");
  return *latest;
}

Result<Clock::time_point> NextWake(const Schedule& schedule, Clock::time_point now,
                                   double jitter_draw) {
  std::optional<Clock::time_point> next;
  if (schedule.daily_at) {
    auto candidate = LocalTimeOfDay(schedule.timezone, now, *schedule.daily_at);
    if (!candidate) return candidate;
    if (*candidate <= now) {
      candidate = LocalTimeOfDay(schedule.timezone, now + hours(24), *schedule.daily_at);
      if (!candidate) return candidate;
    }
    next = *candidate;
  }
  if (schedule.interval && schedule.interval->count() > 0) {
    const auto since_epoch =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    const Clock::time_point aligned{since_epoch - since_epoch % *schedule.interval +
                                    *schedule.interval};
    if (!next || aligned < *next) next = aligned;
  }
  if (!next) return Fail("the schedule has neither a daily time nor an interval");
  const auto jitter = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(schedule.jitter.count()) * jitter_draw));
  return *next + jitter;
}

Result<bool> PullDue(const Schedule& schedule, std::optional<Clock::time_point> last_pull,
                     Clock::time_point now) {
  if (!last_pull) return true;
  auto latest = LatestPlanned(schedule, now);
  if (!latest) return latest.error();
  return *last_pull < *latest;
}

}  // namespace costwatch::daemon
