// The CloudWatch operations a billing alarm needs, over the query protocol (API 2010-08-01,
// signing name "monitoring"): PutMetricAlarm, DescribeAlarms, DeleteAlarms and ListMetrics.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/query_client.h"
#include "util/result.h"

namespace costwatch::alarms::cloudwatch {

using Dimensions = std::vector<std::pair<std::string, std::string>>;

// A metric alarm as PutMetricAlarm takes it and DescribeAlarms returns it (the fields costwatch
// sets or shows).
struct MetricAlarm {
  std::string name;
  std::string description;
  std::string namespace_name;
  std::string metric_name;
  Dimensions dimensions;
  std::string statistic;
  int period_seconds = 0;
  int evaluation_periods = 0;
  std::string threshold;  // decimal text, sent and read as text, never through a double
  std::string comparison_operator;
  std::string treat_missing_data;
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions;
  // Read-only, from DescribeAlarms.
  std::string state_value;  // OK, ALARM, INSUFFICIENT_DATA
  std::string state_reason;
};

class CloudWatchClient {
 public:
  CloudWatchClient(http::Client& http, aws::CredentialsProvider& credentials,
                   aws::ServiceEndpoint endpoint, aws::NetworkContext network);

  // Creates the alarm or replaces every setting of the one with the same name.
  Result<void> PutMetricAlarm(const MetricAlarm& alarm);
  // The metric alarm with this name, or std::nullopt.
  Result<std::optional<MetricAlarm>> DescribeAlarm(const std::string& name);
  // Every metric alarm whose name starts with `prefix`, following NextToken.
  Result<std::vector<MetricAlarm>> DescribeAlarmsWithPrefix(const std::string& prefix);
  // Deleting a name that does not exist succeeds, as in CloudWatch.
  Result<void> DeleteAlarms(const std::vector<std::string>& names);
  // Whether the metric has received data in the last two weeks (the span ListMetrics covers).
  Result<bool> MetricHasData(const std::string& namespace_name, const std::string& metric_name,
                             const Dimensions& dimensions);

  [[nodiscard]] const aws::CallStats& stats() const { return query_.stats(); }

 private:
  aws::QueryClient query_;
  aws::CredentialsProvider& credentials_;
};

// Reads the MetricAlarms of a DescribeAlarms reply; *next_token is set to NextToken ("" when
// absent).
Result<std::vector<MetricAlarm>> ParseDescribeAlarms(std::string_view xml, std::string* next_token);

// The number of metrics in a ListMetrics reply.
Result<size_t> ParseListMetricsCount(std::string_view xml, std::string* next_token);

}  // namespace costwatch::alarms::cloudwatch
