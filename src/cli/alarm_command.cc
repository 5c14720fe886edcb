#include "cli/alarm_command.h"

#include <CLI/CLI.hpp>
#include <thread>

#include "alarms/cloudwatch/billing_endpoints.h"
#include "aws/network.h"
#include "cli/alarm_test_command.h"
#include "cli/aws_session.h"
#include "cli/output.h"
#include "util/json.h"

namespace costwatch::cli {
namespace {

namespace cw = alarms::cloudwatch;

constexpr std::string_view kNoBillingData =
    "billing alerts are not enabled: turn on 'Receive CloudWatch billing alerts' in the Billing "
    "preferences; data appears within a day";

void AddCommonOptions(CLI::App& command, AlarmOptions& options) {
  command.add_option("--profile", options.profile, "AWS profile (default: AWS_PROFILE or default)");
  command
      .add_option("--timeout", options.timeout_seconds,
                  "Seconds one request may take before it is abandoned and retried")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
}

void AddOutputOption(CLI::App& command, AlarmOptions& options) {
  command.add_option("--output", options.output, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
}

// The user's name for an alarm costwatch made: its AWS name without the prefix.
std::string ShortName(const std::string& alarm_name) {
  return alarm_name.starts_with(cw::kResourcePrefix) ? alarm_name.substr(cw::kResourcePrefix.size())
                                                     : alarm_name;
}

std::string ShownThreshold(const cw::MetricAlarm& alarm) {
  return cw::CanonicalDecimal(alarm.threshold).value_or(alarm.threshold);
}

std::string CurrencyOf(const cw::MetricAlarm& alarm) {
  for (const auto& [key, value] : alarm.dimensions) {
    if (key == "Currency") return value;
  }
  return "";
}

std::string Padded(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

void AppendJsonMember(std::string& out, std::string_view key, std::string_view value) {
  if (out.back() != '{') out += ',';
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

std::string AlarmJson(const cw::MetricAlarm& alarm) {
  std::string out = "{";
  AppendJsonMember(out, "name", ShortName(alarm.name));
  AppendJsonMember(out, "alarm_name", alarm.name);
  AppendJsonMember(out, "state", alarm.state_value);
  AppendJsonMember(out, "threshold", ShownThreshold(alarm));
  AppendJsonMember(out, "currency", CurrencyOf(alarm));
  out += ",\"dimensions\":{";
  for (size_t i = 0; i < alarm.dimensions.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, alarm.dimensions[i].first);
    out += ':';
    AppendJsonString(out, alarm.dimensions[i].second);
  }
  out += "}";
  AppendJsonMember(out, "reason", alarm.state_reason);
  return out;  // left open for the caller to add to
}

// Everything one alarm command talks to AWS with; members are built in declaration order.
struct Clients {
  Clients(AwsSession opened, const aws::ServiceEndpoint& cloudwatch_endpoint,
          const aws::ServiceEndpoint& sns_endpoint, const aws::NetworkContext& network)
      : session(std::move(opened)),
        http(session.http),
        cloudwatch(http, *session.credentials, cloudwatch_endpoint, network),
        sns(http, *session.credentials, sns_endpoint, network) {}

  AwsSession session;
  http::HttplibClient http;  // shared: the calls are sequential
  cw::CloudWatchClient cloudwatch;
  cw::SnsClient sns;
};

// Opens the session and builds both clients for us-east-1; on failure prints the error, sets
// *exit_code and returns null.
std::unique_ptr<Clients> OpenClients(const AlarmOptions& options, int* exit_code) {
  auto session = OpenAwsSession(options.profile);
  if (!session) {
    PrintError(session.error().message);
    *exit_code = 1;
    return nullptr;
  }
  auto cloudwatch_endpoint =
      cw::CloudWatchBillingEndpoint(*session->env, session->config, session->profile);
  auto sns_endpoint = cw::SnsBillingEndpoint(*session->env, session->config, session->profile);
  if (!cloudwatch_endpoint || !sns_endpoint) {
    PrintError(!cloudwatch_endpoint ? cloudwatch_endpoint.error().message
                                    : sns_endpoint.error().message);
    *exit_code = 2;
    return nullptr;
  }
  session->http.request_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  aws::NetworkContext network;
  network.retry = session->retry;
  network.random01 = aws::SystemRandom();
  network.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  return std::make_unique<Clients>(std::move(*session), *cloudwatch_endpoint, *sns_endpoint,
                                   network);
}

int Write(const std::string& text) {
  if (auto ok = WriteStdout(text); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  return 0;
}

int RunProvision(const AlarmOptions& options) {
  cw::BillingAlarmSpec spec;
  spec.name = options.name;
  spec.threshold = options.threshold;
  spec.currency = options.currency;
  spec.emails = options.emails;
  if (!options.service.empty()) spec.service = options.service;
  if (!options.linked_account.empty()) spec.linked_account = options.linked_account;
  if (auto valid = cw::ValidateSpec(spec); !valid) {
    PrintError(valid.error().message);
    return 2;
  }
  int exit_code = 0;
  auto clients = OpenClients(options, &exit_code);
  if (!clients) return exit_code;
  auto report = cw::ProvisionBillingAlarm(clients->cloudwatch, clients->sns, spec);
  if (!report) {
    PrintError(report.error().message);
    return 1;
  }
  for (const std::string& note : report->notes) PrintNote(note);
  return Write(FormatProvisionReport(*report));
}

int RunList(const AlarmOptions& options) {
  int exit_code = 0;
  auto clients = OpenClients(options, &exit_code);
  if (!clients) return exit_code;
  auto alarms = cw::ListBillingAlarms(clients->cloudwatch);
  if (!alarms) {
    PrintError(alarms.error().message);
    return 1;
  }
  return Write(FormatAlarmList(*alarms, options.output == "json"));
}

int RunStatus(const AlarmOptions& options) {
  if (auto valid = cw::ValidateAlarmName(options.name); !valid) {
    PrintError(valid.error().message);
    return 2;
  }
  int exit_code = 0;
  auto clients = OpenClients(options, &exit_code);
  if (!clients) return exit_code;
  auto status = cw::ReadBillingAlarmStatus(clients->cloudwatch, clients->sns, options.name);
  if (!status) {
    PrintError(status.error().message);
    return 1;
  }
  if (!*status) {
    PrintError("no alarm " + cw::AlarmNameFor(options.name) +
               " in us-east-1: create it with costwatch alarm provision --name " + options.name);
    return 1;
  }
  if (!(*status)->has_billing_data) PrintNote("warning: " + std::string(kNoBillingData));
  if (!(*status)->topic_arn) {
    PrintNote("warning: the alarm's SNS topic " + cw::TopicNameFor(options.name) +
              " is gone: run costwatch alarm provision again to recreate it");
  }
  return Write(FormatAlarmStatus(**status, options.output == "json"));
}

int RunDelete(const AlarmOptions& options) {
  if (auto valid = cw::ValidateAlarmName(options.name); !valid) {
    PrintError(valid.error().message);
    return 2;
  }
  int exit_code = 0;
  auto clients = OpenClients(options, &exit_code);
  if (!clients) return exit_code;
  auto report = cw::DeleteBillingAlarm(clients->cloudwatch, clients->sns, options.name);
  if (!report) {
    PrintError(report.error().message);
    return 1;
  }
  std::string out;
  for (const std::string& line : report->deleted) out += "deleted " + line + "\n";
  if (report->deleted.empty()) {
    out = "nothing to delete: no alarm or SNS topic named " + cw::AlarmNameFor(options.name) +
          " in us-east-1\n";
  }
  return Write(out);
}

}  // namespace

CLI::App* AddAlarmCommands(CLI::App& app, AlarmOptions& options) {
  CLI::App* alarm = app.add_subcommand("alarm", "Billing alarms");
  alarm->require_subcommand(1);
  options.command = alarm;

  CLI::App* provision = alarm->add_subcommand(
      "provision",
      "Create or update the CloudWatch billing alarm NAME and its e-mail topic in us-east-1 "
      "(idempotent)");
  provision->add_option("--name", options.name, "Alarm name (costwatch-NAME in AWS)")->required();
  provision
      ->add_option("--threshold", options.threshold,
                   "Alarm when estimated charges reach this amount, e.g. 10 or 12.50")
      ->required();
  provision->add_option("--currency", options.currency, "Billing currency")->capture_default_str();
  provision->add_option("--email", options.emails, "Address to notify (repeat for more)")
      ->required();
  provision->add_option("--service", options.service,
                        "Only this service's charges (ServiceName dimension, e.g. AmazonEC2)");
  provision->add_option("--linked-account", options.linked_account,
                        "Only this linked account's charges (LinkedAccount dimension)");
  AddCommonOptions(*provision, options);

  CLI::App* list = alarm->add_subcommand("list", "The billing alarms costwatch provisioned");
  AddOutputOption(*list, options);
  AddCommonOptions(*list, options);

  CLI::App* status = alarm->add_subcommand(
      "status", "An alarm's state, its subscribers' confirmation and whether billing data exists");
  status->add_option("--name", options.name, "Alarm name as given to provision")->required();
  AddOutputOption(*status, options);
  AddCommonOptions(*status, options);

  CLI::App* remove = alarm->add_subcommand(
      "delete", "Delete the alarm, its subscriptions and its topic (idempotent)");
  remove->add_option("--name", options.name, "Alarm name as given to provision")->required();
  AddCommonOptions(*remove, options);
  CLI::App* test = alarm->add_subcommand(
      "test", "Send a test notification of a local alarm rule through each of its notifiers");
  test->add_option("rule", options.rule, "The rule's name in the config's alarms")->required();
  test->add_option("--config", options.config_path, "The config file (costwatch.yaml)")->required();
  test->add_option("--state", options.state_path, "The state database (default: the config's)");
  return alarm;
}

int RunAlarm(const AlarmOptions& options) {
  if (options.command == nullptr) return 2;
  if (options.command->got_subcommand("provision")) return RunProvision(options);
  if (options.command->got_subcommand("list")) return RunList(options);
  if (options.command->got_subcommand("status")) return RunStatus(options);
  if (options.command->got_subcommand("delete")) return RunDelete(options);
  if (options.command->got_subcommand("test")) return RunAlarmTest(options);
  return 2;
}

std::string FormatProvisionReport(const cw::ProvisionReport& report) {
  if (!report.changed()) {
    return "unchanged: alarm " + report.alarm_name + " and topic " + report.topic_arn +
           " already match\n";
  }
  std::string out;
  for (const std::string& change : report.changes) out += change + "\n";
  return out;
}

std::string FormatAlarmList(const std::vector<cw::MetricAlarm>& alarms, bool json) {
  if (json) {
    std::string out = "[";
    for (size_t i = 0; i < alarms.size(); ++i) {
      out += (i > 0 ? "," : "") + AlarmJson(alarms[i]) + "}";
    }
    return out + "]\n";
  }
  if (alarms.empty()) return "no billing alarms provisioned by costwatch in us-east-1\n";
  size_t width = 4;
  for (const cw::MetricAlarm& alarm : alarms) width = std::max(width, ShortName(alarm.name).size());
  std::string out =
      Padded("NAME", width) + "  " + Padded("STATE", 17) + "  THRESHOLD  DIMENSIONS\n";
  for (const cw::MetricAlarm& alarm : alarms) {
    out += Padded(ShortName(alarm.name), width) + "  " + Padded(alarm.state_value, 17) + "  " +
           Padded(ShownThreshold(alarm) + " " + CurrencyOf(alarm), 9) + "  " +
           cw::FormatDimensions(alarm.dimensions) + "\n";
  }
  return out;
}

std::string FormatAlarmStatus(const cw::BillingAlarmStatus& status, bool json) {
  const cw::MetricAlarm& alarm = status.alarm;
  if (json) {
    std::string out = AlarmJson(alarm);
    AppendJsonMember(out, "topic_arn", status.topic_arn.value_or(""));
    out += ",\"subscriptions\":[";
    for (size_t i = 0; i < status.subscriptions.size(); ++i) {
      const cw::Subscription& subscription = status.subscriptions[i];
      out += i > 0 ? ",{" : "{";
      AppendJsonMember(out, "protocol", subscription.protocol);
      AppendJsonMember(out, "endpoint", subscription.endpoint);
      AppendJsonMember(out, "status",
                       subscription.pending() ? cw::kPendingConfirmation : "confirmed");
      out += "}";
    }
    out += "],\"billing_data\":";
    out += status.has_billing_data ? "true" : "false";
    return out + "}\n";
  }
  std::string out;
  out += "Alarm:     " + alarm.name + "\n";
  out += "State:     " + alarm.state_value + "\n";
  out += "Condition: " + alarm.metric_name + " (" + cw::FormatDimensions(alarm.dimensions) +
         ") >= " + ShownThreshold(alarm) + " " + CurrencyOf(alarm) + "\n";
  out += "Reason:    " + alarm.state_reason + "\n";
  out += "Topic:     " + status.topic_arn.value_or("(missing)") + "\n";
  out += status.subscriptions.empty() ? "Subscriptions: none\n" : "Subscriptions:\n";
  for (const cw::Subscription& subscription : status.subscriptions) {
    out += "  " + subscription.protocol + " " + subscription.endpoint + "  " +
           (subscription.pending() ? std::string(cw::kPendingConfirmation) : "confirmed") + "\n";
  }
  out += std::string("Billing data: ") +
         (status.has_billing_data ? "yes" : "none in the last two weeks (see the warning)") + "\n";
  return out;
}

}  // namespace costwatch::cli
