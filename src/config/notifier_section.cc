// notifiers[]: where billing alarms go. Each type's keys are the fields of its options struct
// (notify/notifier_options.h); a key of another type is refused like any unknown key. Read the
// way sink_section.cc reads sinks[].
#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <vector>

#include "config/sections.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<std::string_view, 6> kTypes = {"email",   "slack",      "teams",
                                                    "webhook", "cloudevent", "sns"};

// A bare address: something@domain, nothing SMTP or a header could trip over.
bool IsAddress(std::string_view address) {
  const size_t at = address.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         std::none_of(address.begin(), address.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte <= 0x20 || byte == 0x7F || c == '<' || c == '>' || c == ',' || c == '"' ||
                  c == '(' || c == ')' || c == ';';
         });
}

void ReadTimeout(Reader& reader, const YAML::Node& value, const std::string& path,
                 NotifierDraft& draft) {
  if (auto d = reader.Duration(value, path, seconds(1), minutes(10))) draft.timeout = *d;
}

void ReadWebhookUrl(Reader& reader, const YAML::Node& value, const std::string& path,
                    NotifierDraft& draft) {
  // The URL of a Slack or Teams webhook is the credential itself.
  draft.url_node = value;
  if (auto url = ReadHttpUrl(reader, value, path, /*secret=*/true)) draft.webhook_url = *url;
}

void ReadAllowPlaintext(Reader& reader, const YAML::Node& value, const std::string& path,
                        NotifierDraft& draft) {
  if (auto flag = reader.Boolean(value, path)) draft.allow_plaintext_credentials = *flag;
}

const std::array<Field<NotifierDraft>, 2> kCommonFields = {{
    {{"name", "string", "", "Unique name of the notifier ([a-z0-9_-]+); alarm rules refer to it.",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.name = *name;
     }},
    // ReadNotifier reads the type first, because it decides which other keys exist.
    {{"type", "string", "", "email, slack, teams, webhook, cloudevent or sns.", true},
     [](Reader& /*reader*/, const YAML::Node& /*value*/, const std::string& /*path*/,
        NotifierDraft& /*draft*/) {}},
}};

const std::array<Field<NotifierDraft>, 8> kEmailFields = {{
    {{"smtp_url", "string", "",
      "smtp://host[:port] (port 587 or 25, STARTTLS) or smtps://host[:port] (port 465, TLS from "
      "the start).",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       const std::string& url = text->value;
       const size_t host = url.find("://");
       const std::string scheme = host == std::string::npos ? "" : url.substr(0, host);
       // URLs are never quoted: user information would be a password.
       if ((scheme != "smtp" && scheme != "smtps") || url.size() == host + 3 ||
           url.find_first_of(" \t\r\n") != std::string::npos) {
         reader.Report(value, path + " must be an smtp:// or smtps:// URL");
         return;
       }
       if (url.find('@', host + 3) != std::string::npos) {
         reader.Report(value, path + " must not hold user information; use username and password");
         return;
       }
       draft.email.smtp_url = url;
     }},
    {{"starttls", "string", "required",
      "For smtp://: required (upgrade with STARTTLS or fail) or none (plain text, for a relay on "
      "the same host only). smtps:// is always TLS."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       draft.starttls_node = value;
       draft.starttls_set = true;
       if (text->value == "required") {
         draft.email.starttls = notify::StartTls::kRequired;
       } else if (text->value == "none") {
         draft.email.starttls = notify::StartTls::kNone;
       } else {
         constexpr std::array<std::string_view, 2> kValues = {"required", "none"};
         const std::string guess = ClosestMatch(text->value, kValues);
         reader.Report(value, path + " must be required or none, not " + text->shown +
                                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
       }
     }},
    {{"username", "string", "", "SMTP AUTH user name; without it, no AUTH."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       if (auto text = reader.String(value, path)) draft.email.username = *text;
       draft.username_node = value;
       draft.username_set = true;
     }},
    {{"password", "string", "", "SMTP AUTH password, e.g. ${SMTP_PASSWORD}. Secret: never printed.",
      false, true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       if (auto text = reader.String(value, path, /*secret=*/true)) draft.email.password = *text;
       draft.password_node = value;
       draft.password_set = true;
     }},
    {{"from", "string", "", "Sender address, e.g. costwatch@example.com.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       if (!IsAddress(text->value)) {
         reader.Report(value, path + ": " + text->shown + " is not an address like a@example.com");
         return;
       }
       draft.email.from = text->value;
     }},
    {{"to", "list of strings", "", "Recipient addresses; at least one.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) return;
       if (items->empty()) reader.Report(value, path + " needs at least one address");
       for (const auto& item : *items) {
         if (!IsAddress(item.value)) {
           reader.Report(item.node,
                         path + ": " + item.shown + " is not an address like a@example.com");
           continue;
         }
         draft.email.to.push_back(item.value);
       }
     }},
    {{"ca_file", "string", "",
      "Extra CA bundle (PEM) for the server's certificate; default: the "
      "system's."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       if (auto text = reader.String(value, path)) draft.email.ca_file = *text;
     }},
    {{"timeout", "duration", "30s", "How long one message may take to send; 1s to 10m."},
     ReadTimeout},
}};

const std::array<Field<NotifierDraft>, 3> kSlackFields = {{
    {{"webhook_url", "string", "",
      "The incoming webhook URL (https://hooks.slack.com/services/...). Secret: never printed.",
      true, true},
     ReadWebhookUrl},
    {{"timeout", "duration", "10s", "How long one request may take; 1s to 10m."}, ReadTimeout},
    {{"allow_plaintext_credentials", "boolean", "false", kAllowPlaintextHelp}, ReadAllowPlaintext},
}};

const std::array<Field<NotifierDraft>, 3> kTeamsFields = {{
    {{"webhook_url", "string", "",
      "The Workflows or incoming webhook URL of the channel. Secret: never printed.", true, true},
     ReadWebhookUrl},
    {{"timeout", "duration", "10s", "How long one request may take; 1s to 10m."}, ReadTimeout},
    {{"allow_plaintext_credentials", "boolean", "false", kAllowPlaintextHelp}, ReadAllowPlaintext},
}};

const std::array<Field<NotifierDraft>, 4> kWebhookFields = {{
    {{"url", "string", "",
      "http:// or https:// URL the notification JSON is POSTed to. Treated as a credential "
      "(receivers put tokens in the path): only its scheme and host are printed.",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       draft.url_node = value;
       if (auto url = ReadHttpUrl(reader, value, path, /*secret=*/true)) draft.webhook.url = *url;
     }},
    {{"headers", "mapping", "",
      "Extra request headers, e.g. Authorization: \"Bearer ${ALARM_TOKEN}\". Values are "
      "secrets: never printed.",
      false, true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       draft.webhook.headers = ReadHeaderMap(reader, value, path, "notifier");
     }},
    {{"timeout", "duration", "10s", "How long one request may take; 1s to 10m."}, ReadTimeout},
    {{"allow_plaintext_credentials", "boolean", "false", kAllowPlaintextHelp}, ReadAllowPlaintext},
}};

const std::array<Field<NotifierDraft>, 2> kCloudEventFields = {{
    {{"sinks", "list of strings", "all sinks",
      "Names of the sinks whose outboxes get the amazon.billing.alarm event."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) return;
       if (items->empty()) {
         reader.Report(value, path + " names no sink; leave it out to use every sink");
         return;
       }
       std::set<std::string> seen;
       for (size_t i = 0; i < items->size(); ++i) {
         const auto& item = (*items)[i];
         if (!seen.insert(item.value).second) {
           reader.Report(item.node, path + ": " + item.shown + " is listed twice");
           continue;
         }
         draft.cloudevent.sinks.push_back(item.value);
         draft.sink_references.push_back(
             SinkReference{item.value, item.node, path + "[" + std::to_string(i) + "]"});
       }
     }},
    {{"source", "string", "cloud.amazon.billing", "The CloudEvents `source` of alarm events."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (text->empty()) {
         reader.Report(value, path + " must not be empty");
         return;
       }
       draft.cloudevent.source = *text;
     }},
}};

// arn:PARTITION:sns:REGION:ACCOUNT:NAME with a 12-digit account.
bool IsTopicArn(std::string_view arn) {
  const std::vector<std::string_view> parts = Split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sns") return false;
  const bool partition = parts[1] == "aws" || parts[1] == "aws-cn" || parts[1] == "aws-us-gov";
  const bool account =
      parts[4].size() == 12 && std::all_of(parts[4].begin(), parts[4].end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      });
  return partition && !parts[3].empty() && account && !parts[5].empty() && parts[5].size() <= 256;
}

const std::array<Field<NotifierDraft>, 2> kSnsFields = {{
    {{"topic_arn", "string", "", "The topic to Publish to: arn:aws:sns:REGION:ACCOUNT:NAME.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       if (!IsTopicArn(text->value)) {
         reader.Report(value, path + ": " + text->shown +
                                  " is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
         return;
       }
       draft.sns.topic_arn = text->value;
     }},
    {{"profile", "string", "",
      "AWS profile whose credentials publish. Default: AWS_PROFILE, else 'default'."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, NotifierDraft& draft) {
       if (auto text = reader.String(value, path)) draft.sns.profile = *text;
     }},
}};

std::optional<YAML::Node> FindType(const YAML::Node& node) {
  if (!node.IsMap()) return std::nullopt;
  for (const auto& pair : node) {
    if (pair.first.IsScalar() && pair.first.Scalar() == "type") return pair.second;
  }
  return std::nullopt;
}

std::span<const Field<NotifierDraft>> FieldsOf(std::string_view type) {
  if (type == "email") return kEmailFields;
  if (type == "slack") return kSlackFields;
  if (type == "teams") return kTeamsFields;
  if (type == "webhook") return kWebhookFields;
  if (type == "cloudevent") return kCloudEventFields;
  return kSnsFields;
}

// The checks between keys of an email notifier, once all of them are read.
void CheckEmail(Reader& reader, const std::string& path, const NotifierDraft& draft) {
  const auto& email = draft.email;
  const bool smtps = email.smtp_url.starts_with("smtps://");
  if (smtps && draft.starttls_set) {
    reader.Report(draft.starttls_node,
                  path + ".starttls applies to smtp:// only; smtps:// is TLS from the start");
  }
  // Whether the keys are present, not their values: a password from a missing environment
  // variable is reported once, as missing.
  const bool has_password = draft.password_set;
  const bool has_username = draft.username_set;
  if (has_password != has_username) {
    reader.Report(has_password ? draft.password_node : draft.username_node,
                  path + " needs both username and password, or neither");
  }
  // Never send a password in clear text, whatever the server offers.
  if (has_password && email.smtp_url.starts_with("smtp://") &&
      email.starttls == notify::StartTls::kNone) {
    reader.Report(draft.starttls_node,
                  path + ": a password needs TLS; use starttls: required or smtps://");
  }
}

// A Slack, Teams or webhook URL is a credential: over http:// it goes to the network only when
// the config says so.
void CheckClearText(Reader& reader, const std::string& path, const NotifierDraft& draft,
                    const std::string& url, std::string_view key) {
  if (draft.allow_plaintext_credentials || !CrossesNetworkInClearText(url)) return;
  reader.Report(draft.url_node, path + "." + std::string(key) +
                                    " would cross the network in clear text (http:// to a host "
                                    "that is not this machine), and the URL is a credential; "
                                    "use https://, or set allow_plaintext_credentials: true");
}

}  // namespace

std::span<const Field<NotifierDraft>> NotifierCommonFields() {
  return kCommonFields;
}
std::span<const Field<NotifierDraft>> EmailNotifierFields() {
  return kEmailFields;
}
std::span<const Field<NotifierDraft>> SlackNotifierFields() {
  return kSlackFields;
}
std::span<const Field<NotifierDraft>> TeamsNotifierFields() {
  return kTeamsFields;
}
std::span<const Field<NotifierDraft>> WebhookNotifierFields() {
  return kWebhookFields;
}
std::span<const Field<NotifierDraft>> CloudEventNotifierFields() {
  return kCloudEventFields;
}
std::span<const Field<NotifierDraft>> SnsNotifierFields() {
  return kSnsFields;
}

std::optional<notify::NotifierConfig> ReadNotifier(Reader& reader, const YAML::Node& node,
                                                   const std::string& path,
                                                   std::vector<SinkReference>& sink_references) {
  NotifierDraft draft;
  const std::optional<YAML::Node> type_node = FindType(node);
  std::optional<Reader::Text> type;
  if (type_node) type = reader.ReadText(*type_node, path + ".type");
  const bool known_type =
      type && std::find(kTypes.begin(), kTypes.end(), type->value) != kTypes.end();
  if (type && !known_type) {
    const std::string guess = ClosestMatch(type->value, kTypes);
    reader.Report(*type_node, path +
                                  ".type must be email, slack, teams, webhook, cloudevent or "
                                  "sns, not " +
                                  type->shown +
                                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }

  // Without a known type, every type's keys are accepted (the first table with a key reads it),
  // none required, so that only real typos are reported.
  std::vector<Field<NotifierDraft>> fields(kCommonFields.begin(), kCommonFields.end());
  for (const auto candidate : kTypes) {
    if (known_type && candidate != type->value) continue;
    for (auto field : FieldsOf(candidate)) {
      field.spec.required = field.spec.required && known_type;
      const bool listed = std::any_of(fields.begin(), fields.end(),
                                      [&](const auto& f) { return f.spec.key == field.spec.key; });
      if (!listed) fields.push_back(field);
    }
  }
  reader.Section<NotifierDraft>(node, path, fields, draft);
  if (!known_type) return std::nullopt;

  notify::NotifierConfig notifier{draft.name, notify::SnsOptions{}};
  const std::string& kind = type->value;
  if (kind == "email") {
    CheckEmail(reader, path, draft);
    if (draft.timeout) draft.email.timeout = *draft.timeout;
    notifier.options = std::move(draft.email);
  } else if (kind == "slack") {
    CheckClearText(reader, path, draft, draft.webhook_url, "webhook_url");
    notify::SlackOptions slack{draft.webhook_url};
    if (draft.timeout) slack.timeout = *draft.timeout;
    slack.allow_plaintext_credentials = draft.allow_plaintext_credentials;
    notifier.options = std::move(slack);
  } else if (kind == "teams") {
    CheckClearText(reader, path, draft, draft.webhook_url, "webhook_url");
    notify::TeamsOptions teams{draft.webhook_url};
    if (draft.timeout) teams.timeout = *draft.timeout;
    teams.allow_plaintext_credentials = draft.allow_plaintext_credentials;
    notifier.options = std::move(teams);
  } else if (kind == "webhook") {
    CheckClearText(reader, path, draft, draft.webhook.url, "url");
    if (draft.timeout) draft.webhook.timeout = *draft.timeout;
    draft.webhook.allow_plaintext_credentials = draft.allow_plaintext_credentials;
    notifier.options = std::move(draft.webhook);
  } else if (kind == "cloudevent") {
    for (auto& reference : draft.sink_references) sink_references.push_back(std::move(reference));
    notifier.options = std::move(draft.cloudevent);
  } else {
    notifier.options = std::move(draft.sns);
  }
  return notifier;
}

}  // namespace costwatch::config
