// The native CloudWatch billing alarm, provisioned declaratively: an alarm on AWS/Billing
// EstimatedCharges that e-mails an SNS topic's subscribers. Provisioning compares what exists
// with what is wanted and changes only the difference, so a second run with the same spec
// makes no mutating call at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "alarms/cloudwatch/alarm_spec.h"
#include "alarms/cloudwatch/cloudwatch_client.h"
#include "alarms/cloudwatch/sns_client.h"
#include "util/result.h"

namespace costwatch::alarms::cloudwatch {

// The alarm settings costwatch uses; billing_alarm.cc says why each is what it is.
inline constexpr std::string_view kBillingNamespace = "AWS/Billing";
inline constexpr std::string_view kBillingMetric = "EstimatedCharges";
inline constexpr int kBillingPeriodSeconds = 21600;

struct ProvisionReport {
  std::string alarm_name;
  std::string topic_arn;
  std::vector<std::string> changes;  // one line per change made; empty: "unchanged"
  std::vector<std::string> notes;    // worth knowing, but not changes
  [[nodiscard]] bool changed() const { return !changes.empty(); }
};

struct BillingAlarmStatus {
  MetricAlarm alarm;
  std::optional<std::string> topic_arn;  // none: the topic was deleted outside costwatch
  std::vector<Subscription> subscriptions;
  // False when ListMetrics knows no EstimatedCharges data for the alarm's dimensions: billing
  // alerts are not enabled in the account's billing preferences (or were enabled < a day ago).
  bool has_billing_data = false;
};

struct DeleteReport {
  std::vector<std::string> deleted;  // one line per thing removed; empty: nothing existed
};

// The alarm as costwatch wants it for spec, notifying topic_arn.
MetricAlarm DesiredAlarm(const BillingAlarmSpec& spec, const std::string& topic_arn);

// How `existing` differs from `desired` in what costwatch manages ("threshold 10 -> 20"), empty
// when they are the same. Thresholds compare as decimals: AWS answers "10.0" for "10".
std::vector<std::string> AlarmDifferences(const MetricAlarm& existing, const MetricAlarm& desired);

// spec must have passed ValidateSpec.
Result<ProvisionReport> ProvisionBillingAlarm(CloudWatchClient& cloudwatch, SnsClient& sns,
                                              const BillingAlarmSpec& spec);

// std::nullopt when no alarm has this (user's) name.
Result<std::optional<BillingAlarmStatus>> ReadBillingAlarmStatus(CloudWatchClient& cloudwatch,
                                                                 SnsClient& sns,
                                                                 const std::string& name);

// Every alarm costwatch provisioned (named with kResourcePrefix).
Result<std::vector<MetricAlarm>> ListBillingAlarms(CloudWatchClient& cloudwatch);

// Removes the alarm, then the topic's subscriptions and the topic. What does not exist is
// skipped, so deleting twice is fine.
Result<DeleteReport> DeleteBillingAlarm(CloudWatchClient& cloudwatch, SnsClient& sns,
                                        const std::string& name);

// "Currency=USD, ServiceName=AmazonEC2"
std::string FormatDimensions(const Dimensions& dimensions);

}  // namespace costwatch::alarms::cloudwatch
