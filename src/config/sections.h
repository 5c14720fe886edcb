// Internal: the sections of costwatch.yaml, each a table of fields (schema.cc gathers their
// specs) and a function that reads one section into its typed settings.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/reader.h"
#include "http/http.h"
#include "notify/notifier_options.h"

namespace costwatch::config {

// Each draft is the typed section plus the nodes that later cross-key checks point at.
struct ScheduleDraft {
  ScheduleConfig config;
  YAML::Node jitter_node;
  bool daily_at_set = false;
};
std::span<const Field<ScheduleDraft>> ScheduleFields();
ScheduleConfig ReadSchedule(Reader& reader, const YAML::Node& node, const std::string& path);

struct SourceDraft {
  SourceConfig config;
  YAML::Node lookback_node;
  YAML::Node filter_node;
  bool query_ok = true;  // metrics and group-bys read cleanly, so the query checks make sense
};
std::span<const Field<SourceDraft>> SourceFields();
SourceConfig ReadSource(Reader& reader, const YAML::Node& node, const std::string& path);

struct SinkDraft {
  std::string name;
  std::string type;
  sinks::FileSinkOptions file;
  sinks::HttpSinkOptions http;
  sinks::KafkaSinkOptions kafka;
  YAML::Node batch_size_node;
  YAML::Node tls_node;
  YAML::Node url_node;
};
std::span<const Field<SinkDraft>> SinkCommonFields();
std::span<const Field<SinkDraft>> FileSinkFields();
std::span<const Field<SinkDraft>> HttpSinkFields();
std::span<const Field<SinkDraft>> KafkaSinkFields();
std::span<const Field<SinkDraft>> TlsFields();
// nullopt when the type is missing or unknown (reported).
std::optional<sinks::SinkConfig> ReadSink(Reader& reader, const YAML::Node& node,
                                          const std::string& path);

struct AlarmDraft {
  std::string name;
  alarms::RuleConfig config;
  std::string path;  // alarms[i]
  YAML::Node node;
  YAML::Node source_node;
  YAML::Node metric_node;
  // Keys that need the source to group by something: the node and the group ("SERVICE",
  // "LINKED_ACCOUNT", "TAG:team").
  std::vector<std::pair<YAML::Node, std::string>> scope_nodes;
  std::vector<YAML::Node> notify_nodes;
};
std::span<const Field<AlarmDraft>> AlarmCommonFields();
std::span<const Field<AlarmDraft>> MonthToDateAlarmFields();
std::span<const Field<AlarmDraft>> BudgetAlarmFields();
std::span<const Field<AlarmDraft>> SpikeAlarmFields();
// nullopt when the type is missing or unknown (reported).
std::optional<AlarmDraft> ReadAlarm(Reader& reader, const YAML::Node& node,
                                    const std::string& path);

// The headers mapping of an http sink or a webhook notifier: valid entries (values read as
// secrets); the others are reported. `writer` ("sink", "notifier") says who sets Content-Type.
std::vector<http::Header> ReadHeaderMap(Reader& reader, const YAML::Node& value,
                                        const std::string& path, std::string_view writer);
// An http:// or https:// URL without user information; never quoted in a message, whatever
// `secret` says.
std::optional<std::string> ReadHttpUrl(Reader& reader, const YAML::Node& value,
                                       const std::string& path, bool secret = false);
// Whether what is sent to `url` crosses the network in clear text: http:// to a host that is
// not a loopback address (127.0.0.0/8, ::1, localhost).
bool CrossesNetworkInClearText(const std::string& url);
// allow_plaintext_credentials, as the http sinks and the Slack, Teams and webhook notifiers
// have it.
inline constexpr std::string_view kAllowPlaintextHelp =
    "Send the credentials (the URL of Slack and Teams, the webhook's URL, Authorization and "
    "other secret headers) over http:// to a host that is not this machine. Without it such a "
    "configuration is refused: anyone on the path could read them. A warning at every start.";

// A sink named by a cloudevent notifier, checked once every sink is known.
struct SinkReference {
  std::string name;
  YAML::Node node;
  std::string path;
};

struct NotifierDraft {
  std::string name;
  std::string type;
  notify::EmailOptions email;
  std::string webhook_url;  // slack, teams
  notify::WebhookOptions webhook;
  notify::CloudEventOptions cloudevent;
  notify::SnsOptions sns;
  std::optional<std::chrono::milliseconds> timeout;
  bool allow_plaintext_credentials = false;
  YAML::Node url_node;  // webhook_url or url, where a clear-text refusal points
  std::vector<SinkReference> sink_references;
  // A default YAML::Node counts as defined (a null), so presence is kept apart.
  YAML::Node starttls_node;
  YAML::Node username_node;
  YAML::Node password_node;
  bool starttls_set = false;
  bool username_set = false;
  bool password_set = false;
};
std::span<const Field<NotifierDraft>> NotifierCommonFields();
std::span<const Field<NotifierDraft>> EmailNotifierFields();
std::span<const Field<NotifierDraft>> SlackNotifierFields();
std::span<const Field<NotifierDraft>> TeamsNotifierFields();
std::span<const Field<NotifierDraft>> WebhookNotifierFields();
std::span<const Field<NotifierDraft>> CloudEventNotifierFields();
std::span<const Field<NotifierDraft>> SnsNotifierFields();
// nullopt when the type is missing or unknown (reported). The sinks a cloudevent notifier names
// are added to `sink_references`, for the loader to check against the sinks.
std::optional<notify::NotifierConfig> ReadNotifier(Reader& reader, const YAML::Node& node,
                                                   const std::string& path,
                                                   std::vector<SinkReference>& sink_references);

struct DigestDraft {
  std::string name;
  digests::DigestConfig config;
  std::string path;  // digests[i]
  YAML::Node node;
  YAML::Node source_node;
  YAML::Node metric_node;
  YAML::Node group_by_node;
  // A default YAML::Node counts as defined (a null), so presence is kept apart.
  YAML::Node weekday_node;
  YAML::Node day_node;
  bool weekday_set = false;
  bool day_set = false;
  bool group_by_set = false;
  bool metric_set = false;
  std::vector<YAML::Node> notifier_nodes;
};
std::span<const Field<DigestDraft>> DigestFields();
std::optional<DigestDraft> ReadDigest(Reader& reader, const YAML::Node& node,
                                      const std::string& path);

std::span<const Field<ServerConfig>> ServerFields();
ServerConfig ReadServer(Reader& reader, const YAML::Node& node, const std::string& path);

struct FileDraft {
  Config config;
  std::vector<SinkReference> sink_references;
  std::vector<AlarmDraft> alarms;
  YAML::Node retention_node;  // state_retention_days, where a rule needing more is reported
  std::vector<DigestDraft> digests;
};

// What alarms and digests both check against the sources.
bool IsCostMetric(std::string_view metric);
bool GroupsBy(const SourceConfig& source, const std::string& group);

// The checks of digests[] against the sources and notifiers; moves them into draft.config.
void CheckDigests(Reader& reader, FileDraft& draft);

// The checks of alarms[] against the sources (and notifiers) of the whole file; fills in the
// defaults that depend on them (source, metric) and moves the rules into draft.config.
void CheckAlarmRules(Reader& reader, FileDraft& draft);
// state_retention_days must keep the days every alarm rule reads (after CheckAlarmRules).
void CheckRetention(Reader& reader, const FileDraft& draft);
std::span<const Field<FileDraft>> TopLevelFields();

}  // namespace costwatch::config
