// costwatch alarm: billing alarms. provision|list|status|delete manage the native CloudWatch
// billing alarm (src/alarms/cloudwatch); further subcommands register beside them in
// AddAlarmCommands and dispatch in RunAlarm.
#pragma once

#include <string>
#include <vector>

#include "alarms/cloudwatch/billing_alarm.h"

namespace CLI {
class App;
}

namespace costwatch::cli {

struct AlarmOptions {
  CLI::App* command = nullptr;  // "alarm"; its parsed subcommand says what to run
  std::string profile;
  std::string output = "table";
  double timeout_seconds = 30;
  // provision (and --name for status and delete)
  std::string name;
  std::string threshold;
  std::string currency = "USD";
  std::vector<std::string> emails;
  std::string service;
  std::string linked_account;
  // test (local rules)
  std::string rule;
  std::string config_path;
  std::string state_path;
};

// Adds "alarm" and its subcommands to app; returns the "alarm" command.
CLI::App* AddAlarmCommands(CLI::App& app, AlarmOptions& options);

// Returns the process exit code: 0 done, 1 AWS or network failure, 2 bad input.
int RunAlarm(const AlarmOptions& options);

// Output, public for tests.
std::string FormatProvisionReport(const alarms::cloudwatch::ProvisionReport& report);
std::string FormatAlarmList(const std::vector<alarms::cloudwatch::MetricAlarm>& alarms, bool json);
std::string FormatAlarmStatus(const alarms::cloudwatch::BillingAlarmStatus& status, bool json);

}  // namespace costwatch::cli
