// schedule: when `costwatch run` pulls.
#include <array>

#include "config/sections.h"
#include "config/values.h"

namespace costwatch::config {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

const std::array<Field<ScheduleDraft>, 4> kFields = {{
    {{"daily_at", "HH:MM", "02:00",
      "Pull once a day at this time in `timezone` (yesterday's costs are final by then). "
      "Without daily_at and interval, 02:00."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ScheduleDraft& draft) {
       auto clock = reader.TimeOfDay(value, path);
       if (!clock) return;
       draft.config.daily_at = *clock;
       draft.daily_at_set = true;
     }},
    {{"timezone", "string", "UTC", "IANA time zone of daily_at, e.g. Europe/Paris."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ScheduleDraft& draft) {
       if (auto zone = reader.TimeZone(value, path)) draft.config.timezone = std::move(*zone);
     }},
    {{"interval", "duration", "",
      "Also (or instead) pull every interval, e.g. 6h; 1m to 7d. Each pull costs $0.01 per "
      "source and page."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ScheduleDraft& draft) {
       if (auto d = reader.Duration(value, path, minutes(1), hours(24 * 7))) {
         draft.config.interval = std::chrono::duration_cast<std::chrono::seconds>(*d);
       }
     }},
    {{"jitter", "duration", "0s",
      "Random delay up to this long before each pull, so that many installations do not call "
      "AWS at the same second; at most 6h and less than interval."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ScheduleDraft& draft) {
       if (auto d = reader.Duration(value, path, milliseconds(0), hours(6))) {
         draft.config.jitter = std::chrono::duration_cast<std::chrono::seconds>(*d);
         draft.jitter_node = value;
       }
     }},
}};

}  // namespace

std::span<const Field<ScheduleDraft>> ScheduleFields() {
  return kFields;
}

ScheduleConfig ReadSchedule(Reader& reader, const YAML::Node& node, const std::string& path) {
  ScheduleDraft draft;
  reader.Section<ScheduleDraft>(node, path, kFields, draft);
  // An interval alone means no daily pull; neither keeps the default daily pull at 02:00.
  if (!draft.daily_at_set && draft.config.interval) draft.config.daily_at.reset();
  if (draft.config.interval && draft.config.jitter >= *draft.config.interval) {
    reader.Report(draft.jitter_node, path + ".jitter must be shorter than " + path + ".interval");
  }
  return draft.config;
}

}  // namespace costwatch::config
