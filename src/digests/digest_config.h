// What the config file says about each scheduled digest (the `digests:` list of costwatch.yaml;
// docs/digests.md and docs/config.md describe every key). The config module fills these.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace costwatch::digests {

enum class DigestKind {
  kDaily,    // yesterday, the last 7 days, month to date against last month, a forecast
  kWeekly,   // the last 7 days against the 7 before
  kMonthly,  // the closed month against the month before: what the bill shows
};

enum class Grouping { kService, kAccount, kTag };

struct DigestConfig {
  std::string name;
  DigestKind kind = DigestKind::kDaily;
  std::string source;  // filled by the loader when the file has one source
  std::string metric;  // a cost metric of the source; default its first
  Grouping group_by = Grouping::kService;
  std::string tag_key;                 // group_by tag:KEY
  int top = 10;                        // groups listed by name; the others are summed into one line
  std::vector<std::string> notifiers;  // notifier names; empty: every notifier
  std::chrono::minutes at{8 * 60};     // local time of day in `timezone`
  std::string timezone = "UTC";
  std::chrono::weekday weekday = std::chrono::Monday;  // weekly
  unsigned day = 3;                                    // monthly: day of the month, 1 to 28
};

// "daily", "weekly", "monthly".
inline std::string_view KindName(DigestKind kind) {
  switch (kind) {
    case DigestKind::kDaily:
      return "daily";
    case DigestKind::kWeekly:
      return "weekly";
    case DigestKind::kMonthly:
      return "monthly";
  }
  return "daily";
}

// "service", "account", "tag:team": how digests and their JSON name the grouping.
inline std::string GroupingName(const DigestConfig& config) {
  switch (config.group_by) {
    case Grouping::kService:
      return "service";
    case Grouping::kAccount:
      return "account";
    case Grouping::kTag:
      return "tag:" + config.tag_key;
  }
  return "service";
}

}  // namespace costwatch::digests
