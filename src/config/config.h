// The typed contents of costwatch.yaml: what `costwatch run --config` schedules and where it
// delivers. docs/config.md documents every key; loader.h reads and checks a file.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "alarms/rules/rule_config.h"
#include "costexplorer/request.h"
#include "digests/digest_config.h"
#include "notify/notifier_options.h"
#include "sinks/sink_options.h"
#include "util/listen_address.h"

namespace costwatch::config {

struct ScheduleConfig {
  // Minutes after local midnight in `timezone` ("02:00" is 120). Cost Explorer finalises a day
  // in the early hours, which is why the established connectors pull yesterday at 02:00.
  // nullopt: no daily pull, only `interval`.
  std::optional<std::chrono::minutes> daily_at = std::chrono::hours(2);
  std::string timezone = "UTC";  // IANA name, checked against /usr/share/zoneinfo
  std::optional<std::chrono::seconds> interval;
  // A random delay added to every run so that many installations do not call AWS at once.
  std::chrono::seconds jitter{0};
};

struct SourceConfig {
  std::string name;
  std::string profile;       // empty: AWS_PROFILE, else "default"
  std::string endpoint_url;  // empty: the partition's Cost Explorer endpoint
  ce::Granularity granularity = ce::Granularity::kDaily;
  std::vector<std::string> metrics{"AmortizedCost"};
  std::vector<ce::GroupBy> group_by{{"DIMENSION", "SERVICE"}};
  std::string filter_json;  // the YAML mapping as compact JSON; empty for none
  int lookback_days = 3;    // days re-fetched each run because Cost Explorer restates them
  std::string event_source = "cloud.amazon.billing";
};

// The HTTP server of `costwatch run` and `costwatch serve`: dashboard, /metrics, health checks.
struct ServerConfig {
  ListenAddress listen;  // 127.0.0.1:8377 unless set
  std::string token;     // bearer token every request must carry; empty: none (a secret)
};

struct Config {
  std::string state_path;  // empty: the default state directory
  // Stored costs, alarm history and paid-request counts older than this many days are pruned
  // after each pull (docs/state.md); 0 keeps everything.
  int state_retention_days = 400;
  ScheduleConfig schedule;  // when the file has no schedule: daily at 02:00 UTC
  std::vector<SourceConfig> sources;
  std::vector<sinks::SinkConfig> sinks;
  std::vector<alarms::RuleConfig> alarms;         // local alarm rules; may be empty
  std::vector<notify::NotifierConfig> notifiers;  // where billing alarms go; may be empty
  std::vector<digests::DigestConfig> digests;     // scheduled cost digests; may be empty
  std::optional<ServerConfig> server;             // `run` serves HTTP only with a server section
  // Values substituted from the environment (${VAR}). They may be tokens, so they are never
  // printed: Redacted() blanks them out wherever they appear.
  std::vector<std::string> environment_values;
  // The values of every key the schema marks secret (tokens, passwords, header values, Slack and
  // Teams URLs), as read: config::ScrubberFor keeps them out of every message.
  std::vector<std::string> secret_values;
};

}  // namespace costwatch::config
