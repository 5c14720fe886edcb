#include "alarms/cloudwatch/billing_alarm.h"

#include <algorithm>

namespace costwatch::alarms::cloudwatch {
namespace {

constexpr std::string_view kEmail = "email";

// The topic costwatch created for `name`: the alarm's own action when it has one (no listing
// needed, which keeps a repeated provision to reads of exactly what it manages), else a topic
// of that name left behind, found by ListTopics. Also returns its subscriptions.
struct LocatedTopic {
  std::string arn;
  std::vector<Subscription> subscriptions;
};

Result<std::optional<LocatedTopic>> LocateTopic(SnsClient& sns,
                                                const std::optional<MetricAlarm>& alarm,
                                                const std::string& name) {
  const std::string topic_name = TopicNameFor(name);
  std::vector<std::string> candidates;
  if (alarm) {
    for (const std::string& action : alarm->alarm_actions) {
      if (TopicNameOf(action) == topic_name) candidates.push_back(action);
    }
  }
  if (candidates.empty()) {
    auto found = sns.FindTopic(topic_name);
    if (!found) return found.error();
    if (*found) candidates.push_back(**found);
  }
  for (const std::string& arn : candidates) {
    auto subscriptions = sns.ListSubscriptionsByTopic(arn);
    if (!subscriptions) return subscriptions.error();
    if (*subscriptions) return std::optional<LocatedTopic>(LocatedTopic{arn, **subscriptions});
  }
  return std::optional<LocatedTopic>();
}

bool IsEmailTo(const Subscription& subscription, const std::string& address) {
  return subscription.protocol == kEmail && subscription.endpoint == address;
}

template <class T>
std::vector<T> Sorted(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return values;
}

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) out += (out.empty() ? "" : ", ") + value;
  return out.empty() ? "none" : out;
}

}  // namespace

std::string FormatDimensions(const Dimensions& dimensions) {
  std::vector<std::string> parts;
  parts.reserve(dimensions.size());
  for (const auto& [key, value] : dimensions) {
    std::string part = key;
    part += '=';
    part += value;
    parts.push_back(std::move(part));
  }
  return Join(parts);
}

// Why these settings:
// - Maximum over 6 hours, 1 evaluation period, >=: AWS's own billing alarm guide. The metric is
//   month-to-date and only grows, so its maximum in a window is its latest value.
// - TreatMissingData "ignore": AWS publishes EstimatedCharges a few times a day, not every
//   period. "missing" or "notBreaching" would let a gap move an alarm in ALARM back to
//   INSUFFICIENT_DATA or OK and then e-mail everyone again when the next datapoint arrives;
//   "breaching" would e-mail on every gap. With "ignore" the state only changes on real data,
//   and a new alarm in an account without billing data stays INSUFFICIENT_DATA instead of
//   claiming OK.
MetricAlarm DesiredAlarm(const BillingAlarmSpec& spec, const std::string& topic_arn) {
  MetricAlarm alarm;
  alarm.name = AlarmNameFor(spec.name);
  alarm.namespace_name = std::string(kBillingNamespace);
  alarm.metric_name = std::string(kBillingMetric);
  alarm.dimensions = BillingDimensions(spec);
  alarm.statistic = "Maximum";
  alarm.period_seconds = kBillingPeriodSeconds;
  alarm.evaluation_periods = 1;
  alarm.threshold = spec.threshold;
  alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  alarm.treat_missing_data = "ignore";
  alarm.actions_enabled = true;
  alarm.alarm_actions = {topic_arn};
  alarm.description = "Estimated AWS charges (" + FormatDimensions(alarm.dimensions) +
                      ") reached " + spec.threshold + " " + spec.currency +
                      ". Managed by costwatch alarm provision.";
  return alarm;
}

std::vector<std::string> AlarmDifferences(const MetricAlarm& existing, const MetricAlarm& desired) {
  std::vector<std::string> differences;
  const auto compare = [&](std::string_view what, const std::string& is, const std::string& want) {
    if (is != want) {
      differences.push_back(std::string(what) + " " + (is.empty() ? "unset" : is) + " -> " + want);
    }
  };
  const std::optional<std::string> threshold = CanonicalDecimal(existing.threshold);
  compare("threshold", threshold.value_or(existing.threshold), desired.threshold);
  compare("dimensions", FormatDimensions(Sorted(existing.dimensions)),
          FormatDimensions(Sorted(desired.dimensions)));
  compare("namespace", existing.namespace_name, desired.namespace_name);
  compare("metric", existing.metric_name, desired.metric_name);
  compare("statistic", existing.statistic, desired.statistic);
  compare("period", std::to_string(existing.period_seconds),
          std::to_string(desired.period_seconds));
  compare("evaluation periods", std::to_string(existing.evaluation_periods),
          std::to_string(desired.evaluation_periods));
  compare("comparison", existing.comparison_operator, desired.comparison_operator);
  compare("missing data", existing.treat_missing_data, desired.treat_missing_data);
  compare("actions enabled", existing.actions_enabled ? "true" : "false",
          desired.actions_enabled ? "true" : "false");
  compare("alarm actions", Join(Sorted(existing.alarm_actions)),
          Join(Sorted(desired.alarm_actions)));
  if (existing.description != desired.description) differences.emplace_back("description");
  return differences;
}

Result<ProvisionReport> ProvisionBillingAlarm(CloudWatchClient& cloudwatch, SnsClient& sns,
                                              const BillingAlarmSpec& spec) {
  ProvisionReport report;
  report.alarm_name = AlarmNameFor(spec.name);
  auto existing = cloudwatch.DescribeAlarm(report.alarm_name);
  if (!existing) return existing.error();

  // The topic and its subscribers come first, so the alarm never points at a missing topic.
  auto located = LocateTopic(sns, *existing, spec.name);
  if (!located) return located.error();
  std::vector<Subscription> subscriptions;
  if (*located) {
    report.topic_arn = (*located)->arn;
    subscriptions = (*located)->subscriptions;
  } else {
    auto created = sns.CreateTopic(TopicNameFor(spec.name));
    if (!created) return created.error();
    report.topic_arn = *created;
    report.changes.push_back("created SNS topic " + report.topic_arn);
  }

  for (const std::string& email : spec.emails) {
    const bool subscribed = std::any_of(subscriptions.begin(), subscriptions.end(),
                                        [&](const Subscription& s) { return IsEmailTo(s, email); });
    if (subscribed) continue;
    if (auto ok = sns.Subscribe(report.topic_arn, std::string(kEmail), email); !ok) {
      return ok.error();
    }
    report.changes.push_back("subscribed " + email +
                             ": AWS has e-mailed a confirmation link; alarm e-mails arrive only "
                             "after it is clicked");
  }
  for (const Subscription& subscription : subscriptions) {
    if (subscription.protocol != kEmail || std::find(spec.emails.begin(), spec.emails.end(),
                                                     subscription.endpoint) != spec.emails.end()) {
      continue;
    }
    if (subscription.pending()) {
      // SNS offers no way to remove an unconfirmed subscription; it lapses after three days.
      report.notes.push_back(subscription.endpoint +
                             " is no longer wanted but still PendingConfirmation; SNS cannot "
                             "remove it, and it lapses unless the link is clicked");
      continue;
    }
    if (auto ok = sns.Unsubscribe(subscription.arn); !ok) return ok.error();
    report.changes.push_back("unsubscribed " + subscription.endpoint);
  }

  const MetricAlarm desired = DesiredAlarm(spec, report.topic_arn);
  std::vector<std::string> differences;
  if (*existing) {
    differences = AlarmDifferences(**existing, desired);
    if (differences.empty()) return report;
  }
  if (auto ok = cloudwatch.PutMetricAlarm(desired); !ok) return ok.error();
  if (*existing) {
    std::string line = "updated alarm " + report.alarm_name + ":";
    for (size_t i = 0; i < differences.size(); ++i) line += (i == 0 ? " " : "; ") + differences[i];
    report.changes.push_back(line);
  } else {
    report.changes.push_back(
        "created alarm " + report.alarm_name + ": " + std::string(kBillingMetric) + " (" +
        FormatDimensions(desired.dimensions) + ") >= " + spec.threshold + " " + spec.currency);
  }
  return report;
}

Result<std::optional<BillingAlarmStatus>> ReadBillingAlarmStatus(CloudWatchClient& cloudwatch,
                                                                 SnsClient& sns,
                                                                 const std::string& name) {
  auto alarm = cloudwatch.DescribeAlarm(AlarmNameFor(name));
  if (!alarm) return alarm.error();
  if (!*alarm) return std::optional<BillingAlarmStatus>();
  BillingAlarmStatus status;
  status.alarm = std::move(**alarm);
  auto located = LocateTopic(sns, status.alarm, name);
  if (!located) return located.error();
  if (*located) {
    status.topic_arn = (*located)->arn;
    status.subscriptions = (*located)->subscriptions;
  }
  auto has_data = cloudwatch.MetricHasData(status.alarm.namespace_name, status.alarm.metric_name,
                                           status.alarm.dimensions);
  if (!has_data) return has_data.error();
  status.has_billing_data = *has_data;
  return std::optional<BillingAlarmStatus>(std::move(status));
}

Result<std::vector<MetricAlarm>> ListBillingAlarms(CloudWatchClient& cloudwatch) {
  return cloudwatch.DescribeAlarmsWithPrefix(std::string(kResourcePrefix));
}

Result<DeleteReport> DeleteBillingAlarm(CloudWatchClient& cloudwatch, SnsClient& sns,
                                        const std::string& name) {
  DeleteReport report;
  const std::string alarm_name = AlarmNameFor(name);
  auto alarm = cloudwatch.DescribeAlarm(alarm_name);
  if (!alarm) return alarm.error();
  auto located = LocateTopic(sns, *alarm, name);
  if (!located) return located.error();
  // The alarm goes first so that it never fires into a half-deleted topic.
  if (*alarm) {
    if (auto ok = cloudwatch.DeleteAlarms({alarm_name}); !ok) return ok.error();
    report.deleted.push_back("alarm " + alarm_name);
  }
  if (*located) {
    size_t pending = 0;
    for (const Subscription& subscription : (*located)->subscriptions) {
      if (subscription.pending()) {
        ++pending;  // cannot be unsubscribed; deleting the topic drops it
        continue;
      }
      if (auto ok = sns.Unsubscribe(subscription.arn); !ok) return ok.error();
      report.deleted.push_back("subscription " + subscription.endpoint);
    }
    if (auto ok = sns.DeleteTopic((*located)->arn); !ok) return ok.error();
    report.deleted.push_back("SNS topic " + (*located)->arn +
                             (pending > 0 ? " (with " + std::to_string(pending) +
                                                " unconfirmed subscription" +
                                                (pending == 1 ? "" : "s") + ")"
                                          : ""));
  }
  return report;
}

}  // namespace costwatch::alarms::cloudwatch
