#include "config/redact.h"

#include <algorithm>
#include <array>
#include <variant>

#include "config/schema.h"
#include "config/values.h"
#include "http/url.h"
#include "sinks/kafka/kafka_settings.h"

namespace costwatch::config {

namespace {

// Replaces every occurrence of each environment value. Longest first, so that a value that
// contains another is blanked whole.
void Blank(std::string& text, const std::vector<std::string>& values) {
  for (const auto& value : values) {
    // Values this short are no secret worth hiding, and blanking every "x" or "1" in the
    // summary would mangle it (headers are blanked whole regardless).
    if (value.size() < 4) continue;
    for (size_t at = text.find(value); at != std::string::npos; at = text.find(value, at)) {
      text.replace(at, value.size(), kRedacted);
      at += kRedacted.size();
    }
  }
}

std::string WithoutUserInfo(const std::string& url) {
  return http::WithoutUserInfo(url);
}

// A URL that is a credential as a whole (a generic webhook's): its scheme and host, the rest
// blanked.
std::string OriginOnly(const std::string& url) {
  std::string safe = WithoutUserInfo(url);
  const size_t scheme_end = safe.find("://");
  if (scheme_end == std::string::npos) return std::string(kRedacted);
  const size_t path = safe.find_first_of("/?#", scheme_end + 3);
  if (path == std::string::npos || safe.substr(path) == "/") return safe;
  return safe.substr(0, path) + "/" + std::string(kRedacted);
}

// 0640 as "0640".
std::string FormatFileMode(unsigned mode) {
  std::string out;
  for (int shift = 9; shift >= 0; shift -= 3) out += static_cast<char>('0' + ((mode >> shift) & 7));
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// One line about a notifier, from already redacted options.
// "month_to_date >= 10 of UnblendedCost (source aws, service Amazon EC2), notify mail, remind
// every 24h": the rule as a person would say it.
std::string AlarmSummary(const alarms::RuleConfig& rule) {
  std::string out;
  switch (rule.kind) {
    case alarms::RuleKind::kMonthToDate:
      out = "month_to_date >= " + rule.threshold.ToShortString();
      break;
    case alarms::RuleKind::kBudget: {
      const char* period = rule.period == alarms::BudgetPeriod::kMonth     ? "month"
                           : rule.period == alarms::BudgetPeriod::kQuarter ? "quarter"
                                                                           : "year";
      out = std::string("budget ") + rule.budget.ToShortString() + " a " + period + " at";
      for (size_t i = 0; i < rule.thresholds.size(); ++i) {
        const auto& threshold = rule.thresholds[i];
        out += (i == 0 ? " " : ", ") + threshold.percent.ToShortString() + "% of " +
               (threshold.basis == alarms::Basis::kActual ? "actual" : "forecast");
      }
      break;
    }
    case alarms::RuleKind::kSpike:
      out = "spike of " + rule.min_impact.value_or(Decimal()).ToShortString() +
            (rule.min_percent ? " and " + rule.min_percent->ToShortString() + "%" : "") +
            " over the " + std::to_string(rule.baseline_days) + "-day mean" +
            (rule.by == alarms::SpikeBy::kService   ? " per service"
             : rule.by == alarms::SpikeBy::kAccount ? " per account"
                                                    : "");
      break;
  }
  out += " of " + rule.metric + " (source " + rule.source;
  if (!rule.scope.service.empty()) out += ", service " + rule.scope.service;
  if (!rule.scope.account.empty()) out += ", account " + rule.scope.account;
  if (rule.scope.has_tag) out += ", tag " + rule.scope.tag_key + "=" + rule.scope.tag_value;
  out +=
      "), notify " + (rule.notify.empty() ? std::string("every notifier") : JoinList(rule.notify));
  if (rule.remind_every) {
    out +=
        ", remind every " +
        FormatDuration(std::chrono::duration_cast<std::chrono::milliseconds>(*rule.remind_every));
  }
  return out;
}

// "weekly on monday at 08:00 Europe/Paris, top 10 by service of UnblendedCost (source aws),
// to mail, chat": the digest as a person would say it.
std::string DigestSummary(const digests::DigestConfig& digest) {
  constexpr std::array<std::string_view, 7> kDays = {"sunday",   "monday", "tuesday", "wednesday",
                                                     "thursday", "friday", "saturday"};
  std::string out(digests::KindName(digest.kind));
  if (digest.kind == digests::DigestKind::kWeekly)
    out += " on " + std::string(kDays.at(digest.weekday.c_encoding()));
  if (digest.kind == digests::DigestKind::kMonthly) out += " on day " + std::to_string(digest.day);
  out += " at " + FormatClock(digest.at) + " " + digest.timezone + ", top " +
         std::to_string(digest.top) + " by " + digests::GroupingName(digest) + " of " +
         digest.metric + " (source " + digest.source + "), to " +
         (digest.notifiers.empty() ? std::string("every notifier") : JoinList(digest.notifiers));
  return out;
}

// "http://127.0.0.1:8377/, bearer token <redacted>", with a warning when anyone may connect.
std::string ServerSummary(const ServerConfig& server) {
  std::string out = "http://" + FormatListenAddress(server.listen) + "/";
  if (!server.token.empty()) return out + ", bearer token " + server.token;
  out += ", no token";
  if (!IsLoopbackHost(server.listen.host))
    out += " (" + std::string(kServerWithoutTokenWarning) + ")";
  return out;
}

std::string NotifierSummary(const notify::NotifierOptions& options) {
  if (const auto* email = std::get_if<notify::EmailOptions>(&options)) {
    const bool plain =
        email->smtp_url.starts_with("smtp://") && email->starttls == notify::StartTls::kNone;
    return "email via " + email->smtp_url + (plain ? " (NO TLS)" : "") + " from " + email->from +
           " to " + JoinList(email->to) +
           (email->username.empty() ? "" : ", AUTH as " + email->username);
  }
  constexpr std::string_view kClearText = " (clear text allowed)";
  if (const auto* slack = std::get_if<notify::SlackOptions>(&options))
    return "slack webhook" + std::string(slack->allow_plaintext_credentials ? kClearText : "");
  if (const auto* teams = std::get_if<notify::TeamsOptions>(&options))
    return "teams webhook" + std::string(teams->allow_plaintext_credentials ? kClearText : "");
  if (const auto* webhook = std::get_if<notify::WebhookOptions>(&options)) {
    std::string out = "webhook " + webhook->url;
    for (const auto& header : webhook->headers) out += ", " + header.name + ": " + header.value;
    if (webhook->allow_plaintext_credentials) out += kClearText;
    return out;
  }
  if (const auto* event = std::get_if<notify::CloudEventOptions>(&options)) {
    return "cloudevent amazon.billing.alarm from " + event->source + " to " +
           (event->sinks.empty() ? "every sink" : "sinks " + JoinList(event->sinks));
  }
  const auto& sns = std::get<notify::SnsOptions>(options);
  return "sns " + sns.topic_arn + ", profile " +
         (sns.profile.empty() ? "from AWS_PROFILE or default" : sns.profile);
}

}  // namespace

Config Redacted(const Config& config) {
  Config out = config;
  std::vector<std::string> values = config.environment_values;
  std::sort(values.begin(), values.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  const auto blank = [&](std::string& text) { Blank(text, values); };
  blank(out.state_path);
  blank(out.schedule.timezone);
  if (out.server) {
    blank(out.server->listen.host);
    if (!out.server->token.empty()) out.server->token = std::string(kRedacted);
  }
  for (auto& source : out.sources) {
    source.endpoint_url = WithoutUserInfo(source.endpoint_url);
    for (auto* text : {&source.name, &source.profile, &source.endpoint_url, &source.filter_json,
                       &source.event_source}) {
      blank(*text);
    }
    for (auto& metric : source.metrics) blank(metric);
    for (auto& group : source.group_by) blank(group.key);
  }
  for (auto& sink : out.sinks) {
    blank(sink.name);
    if (auto* file = std::get_if<sinks::FileSinkOptions>(&sink.options)) blank(file->path);
    if (auto* http = std::get_if<sinks::HttpSinkOptions>(&sink.options)) {
      http->url = WithoutUserInfo(http->url);
      for (auto* text : {&http->url, &http->ca_file, &http->client_cert, &http->client_key}) {
        blank(*text);
      }
      for (auto& header : http->headers) header.value = std::string(kRedacted);
    }
    if (auto* kafka = std::get_if<sinks::KafkaSinkOptions>(&sink.options)) {
      for (auto& broker : kafka->brokers) blank(broker);
      blank(kafka->topic);
      for (auto& property : kafka->properties) {
        if (sinks::IsSecretProperty(property.name) || IsSecretName(property.name)) {
          property.value = std::string(kRedacted);
        } else {
          blank(property.value);
        }
      }
    }
  }
  for (auto& notifier : out.notifiers) {
    blank(notifier.name);
    if (auto* email = std::get_if<notify::EmailOptions>(&notifier.options)) {
      if (!email->password.empty()) email->password = std::string(kRedacted);
      for (auto* text : {&email->smtp_url, &email->username, &email->from, &email->ca_file}) {
        blank(*text);
      }
      for (auto& address : email->to) blank(address);
    }
    // A Slack or Teams webhook URL is the credential itself.
    if (auto* slack = std::get_if<notify::SlackOptions>(&notifier.options))
      slack->webhook_url = std::string(kRedacted);
    if (auto* teams = std::get_if<notify::TeamsOptions>(&notifier.options))
      teams->webhook_url = std::string(kRedacted);
    if (auto* webhook = std::get_if<notify::WebhookOptions>(&notifier.options)) {
      // Receivers put their token in the path as often as in a header.
      webhook->url = OriginOnly(webhook->url);
      blank(webhook->url);
      for (auto& header : webhook->headers) header.value = std::string(kRedacted);
    }
    if (auto* sns = std::get_if<notify::SnsOptions>(&notifier.options)) {
      blank(sns->topic_arn);
      blank(sns->profile);
    }
  }
  out.environment_values.clear();
  out.secret_values.clear();
  return out;
}

std::string Summarize(const Config& config) {
  const Config safe = Redacted(config);
  std::string out;
  const auto& schedule = safe.schedule;
  out += "schedule:";
  if (schedule.daily_at) {
    out += " daily at " + FormatClock(*schedule.daily_at) + " " + schedule.timezone;
  }
  if (schedule.interval) {
    out +=
        std::string(schedule.daily_at ? "," : "") + " every " + FormatDuration(*schedule.interval);
  }
  if (schedule.jitter.count() > 0) out += ", jitter up to " + FormatDuration(schedule.jitter);
  out += '\n';
  for (const auto& source : safe.sources) {
    std::vector<std::string> groups;
    for (const auto& group : source.group_by) {
      groups.push_back(group.type == "DIMENSION" ? group.key : group.type + ":" + group.key);
    }
    out += "source " + source.name + ": " + std::string(ce::ToString(source.granularity)) + " " +
           JoinList(source.metrics) +
           (groups.empty() ? ", no grouping" : " by " + JoinList(groups)) +
           (source.filter_json.empty() ? "" : ", filtered") + ", profile " +
           (source.profile.empty() ? "from AWS_PROFILE or default" : source.profile) +
           ", lookback " + std::to_string(source.lookback_days) + " days";
    if (!source.endpoint_url.empty()) out += ", endpoint " + source.endpoint_url;
    out += '\n';
  }
  for (const auto& sink : safe.sinks) {
    out += "sink " + sink.name + ": ";
    if (std::holds_alternative<sinks::StdoutSinkOptions>(sink.options)) out += "stdout";
    if (const auto* file = std::get_if<sinks::FileSinkOptions>(&sink.options)) {
      out += "file " + file->path + " (rotated at " + FormatSize(file->max_bytes) + ", " +
             std::to_string(file->max_files) + " kept" + (file->fsync ? ", fsync" : "") +
             (file->file_mode == 0600 ? "" : ", mode " + FormatFileMode(file->file_mode)) + ")";
    }
    if (const auto* http = std::get_if<sinks::HttpSinkOptions>(&sink.options)) {
      constexpr std::array<std::string_view, 3> kModes = {"structured", "binary", "batch"};
      out += "http " + http->url + " (" + std::string(kModes[static_cast<size_t>(http->mode)]);
      if (http->mode == sinks::HttpMode::kBatch) {
        out += " of " + std::to_string(http->batch_size);
      }
      out += ", timeout " + FormatDuration(http->timeout);
      for (const auto& header : http->headers) out += ", " + header.name + ": " + header.value;
      if (!http->verify_tls) out += ", TLS NOT VERIFIED";
      if (http->allow_plaintext_credentials) out += ", clear text allowed";
      out += ")";
    }
    if (const auto* kafka = std::get_if<sinks::KafkaSinkOptions>(&sink.options)) {
      out += "kafka " + JoinList(kafka->brokers) + " topic " + kafka->topic + " (" +
             std::string(sinks::ModeName(kafka->mode)) + ", key " +
             (kafka->key_attribute.empty() ? "none" : kafka->key_attribute) + ", " +
             std::string(sinks::CompressionName(kafka->compression)) + ", batch " +
             std::to_string(kafka->batch_size) + ", timeout " + FormatDuration(kafka->timeout);
      for (const auto& property : kafka->properties) {
        out += ", " + property.name + "=" + property.value;
      }
      out += ")";
    }
    out += '\n';
  }
  for (const auto& notifier : safe.notifiers) {
    out += "notifier " + notifier.name + ": " + NotifierSummary(notifier.options) + '\n';
  }
  for (const auto& rule : safe.alarms)
    out += "alarm " + rule.name + ": " + AlarmSummary(rule) + '\n';
  for (const auto& digest : safe.digests)
    out += "digest " + digest.name + ": " + DigestSummary(digest) + '\n';
  if (safe.server) out += "server: " + ServerSummary(*safe.server) + '\n';
  return out;
}

}  // namespace costwatch::config
