#include "alarms/cloudwatch/cloudwatch_client.h"

#include <charconv>

#include "aws/xml_text.h"

namespace costwatch::alarms::cloudwatch {
namespace {

constexpr std::string_view kCloudWatchVersion = "2010-08-01";

std::string Text(std::string_view element, std::string_view name) {
  return aws::XmlChildText(element, {name}).value_or("");
}

int Integer(std::string_view element, std::string_view name) {
  const std::string text = Text(element, name);
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Dimensions ParseDimensions(std::string_view parent) {
  Dimensions dimensions;
  if (auto list = aws::XmlChild(parent, {"Dimensions"})) {
    for (std::string_view member : aws::XmlChildren(*list, "member")) {
      dimensions.emplace_back(Text(member, "Name"), Text(member, "Value"));
    }
  }
  return dimensions;
}

MetricAlarm ParseMetricAlarm(std::string_view member) {
  MetricAlarm alarm;
  alarm.name = Text(member, "AlarmName");
  alarm.description = Text(member, "AlarmDescription");
  alarm.namespace_name = Text(member, "Namespace");
  alarm.metric_name = Text(member, "MetricName");
  alarm.dimensions = ParseDimensions(member);
  alarm.statistic = Text(member, "Statistic");
  alarm.period_seconds = Integer(member, "Period");
  alarm.evaluation_periods = Integer(member, "EvaluationPeriods");
  alarm.threshold = Text(member, "Threshold");
  alarm.comparison_operator = Text(member, "ComparisonOperator");
  alarm.treat_missing_data = Text(member, "TreatMissingData");
  alarm.actions_enabled = Text(member, "ActionsEnabled") != "false";
  if (auto actions = aws::XmlChild(member, {"AlarmActions"})) {
    for (std::string_view action : aws::XmlChildren(*actions, "member")) {
      alarm.alarm_actions.push_back(aws::DecodeXmlText(action));
    }
  }
  alarm.state_value = Text(member, "StateValue");
  alarm.state_reason = Text(member, "StateReason");
  return alarm;
}

}  // namespace

Result<std::vector<MetricAlarm>> ParseDescribeAlarms(std::string_view xml,
                                                     std::string* next_token) {
  auto result = aws::XmlChild(xml, {"DescribeAlarmsResponse", "DescribeAlarmsResult"});
  if (!result) return Fail("DescribeAlarms: the reply has no DescribeAlarmsResult");
  std::vector<MetricAlarm> alarms;
  if (auto list = aws::XmlChild(*result, {"MetricAlarms"})) {
    for (std::string_view member : aws::XmlChildren(*list, "member")) {
      alarms.push_back(ParseMetricAlarm(member));
    }
  }
  *next_token = Text(*result, "NextToken");
  return alarms;
}

Result<size_t> ParseListMetricsCount(std::string_view xml, std::string* next_token) {
  auto result = aws::XmlChild(xml, {"ListMetricsResponse", "ListMetricsResult"});
  if (!result) return Fail("ListMetrics: the reply has no ListMetricsResult");
  size_t count = 0;
  if (auto list = aws::XmlChild(*result, {"Metrics"})) {
    count = aws::XmlChildren(*list, "member").size();
  }
  *next_token = Text(*result, "NextToken");
  return count;
}

CloudWatchClient::CloudWatchClient(http::Client& http, aws::CredentialsProvider& credentials,
                                   aws::ServiceEndpoint endpoint, aws::NetworkContext network)
    : query_(http, std::move(endpoint), std::string(kCloudWatchVersion), std::move(network)),
      credentials_(credentials) {}

Result<void> CloudWatchClient::PutMetricAlarm(const MetricAlarm& alarm) {
  aws::QueryParams params;
  params.add("AlarmName", alarm.name)
      .add("AlarmDescription", alarm.description)
      .add("ActionsEnabled", alarm.actions_enabled ? "true" : "false")
      .add_list("AlarmActions", alarm.alarm_actions)
      .add("MetricName", alarm.metric_name)
      .add("Namespace", alarm.namespace_name)
      .add("Statistic", alarm.statistic)
      .add_pairs("Dimensions", "Name", "Value", alarm.dimensions)
      .add("Period", std::to_string(alarm.period_seconds))
      .add("EvaluationPeriods", std::to_string(alarm.evaluation_periods))
      .add("Threshold", alarm.threshold)
      .add("ComparisonOperator", alarm.comparison_operator)
      .add("TreatMissingData", alarm.treat_missing_data);
  auto reply = query_.Call("PutMetricAlarm", params, credentials_);
  if (!reply) return reply.error();
  return {};
}

Result<std::optional<MetricAlarm>> CloudWatchClient::DescribeAlarm(const std::string& name) {
  aws::QueryParams params;
  params.add_list("AlarmNames", {name});
  auto reply = query_.Call("DescribeAlarms", params, credentials_);
  if (!reply) return reply.error();
  std::string next_token;
  auto alarms = ParseDescribeAlarms(*reply, &next_token);
  if (!alarms) return alarms.error();
  for (MetricAlarm& alarm : *alarms) {
    if (alarm.name == name) return std::optional<MetricAlarm>(std::move(alarm));
  }
  return std::optional<MetricAlarm>();
}

Result<std::vector<MetricAlarm>> CloudWatchClient::DescribeAlarmsWithPrefix(
    const std::string& prefix) {
  std::vector<MetricAlarm> all;
  std::string next_token;
  do {
    aws::QueryParams params;
    params.add("AlarmNamePrefix", prefix);
    if (!next_token.empty()) params.add("NextToken", next_token);
    auto reply = query_.Call("DescribeAlarms", params, credentials_);
    if (!reply) return reply.error();
    auto page = ParseDescribeAlarms(*reply, &next_token);
    if (!page) return page.error();
    for (MetricAlarm& alarm : *page) all.push_back(std::move(alarm));
  } while (!next_token.empty());
  return all;
}

Result<void> CloudWatchClient::DeleteAlarms(const std::vector<std::string>& names) {
  aws::QueryParams params;
  params.add_list("AlarmNames", names);
  auto reply = query_.Call("DeleteAlarms", params, credentials_);
  if (!reply) return reply.error();
  return {};
}

Result<bool> CloudWatchClient::MetricHasData(const std::string& namespace_name,
                                             const std::string& metric_name,
                                             const Dimensions& dimensions) {
  aws::QueryParams params;
  params.add("Namespace", namespace_name)
      .add("MetricName", metric_name)
      .add_pairs("Dimensions", "Name", "Value", dimensions);
  auto reply = query_.Call("ListMetrics", params, credentials_);
  if (!reply) return reply.error();
  std::string next_token;
  auto count = ParseListMetricsCount(*reply, &next_token);
  if (!count) return count.error();
  return *count > 0;
}

}  // namespace costwatch::alarms::cloudwatch
