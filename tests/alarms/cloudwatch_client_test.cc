#include "alarms/cloudwatch/cloudwatch_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alarm_test_util.h"

namespace costwatch::alarms::cloudwatch {
namespace {

using aws::testing::ScriptedNetwork;
using testing::Actions;
using testing::Field;
using testing::FixedCredentials;
using testing::FormFields;

// A DescribeAlarms reply in the documented shape: AlarmActions and Dimensions are <member>
// lists inside the alarm's own <member>.
constexpr std::string_view kDescribeAlarmsReply = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <DescribeAlarmsResult>
    <MetricAlarms>
      <member>
        <AlarmName>costwatch-monthly</AlarmName>
        <AlarmDescription>over &amp; out</AlarmDescription>
        <ActionsEnabled>true</ActionsEnabled>
        <OKActions/>
        <AlarmActions>
          <member>arn:aws:sns:us-east-1:123456789012:costwatch-monthly</member>
        </AlarmActions>
        <StateValue>INSUFFICIENT_DATA</StateValue>
        <StateReason>Unchecked: Initial alarm creation</StateReason>
        <MetricName>EstimatedCharges</MetricName>
        <Namespace>AWS/Billing</Namespace>
        <Statistic>Maximum</Statistic>
        <Dimensions>
          <member><Name>Currency</Name><Value>USD</Value></member>
          <member><Name>ServiceName</Name><Value>AmazonEC2</Value></member>
        </Dimensions>
        <Period>21600</Period>
        <EvaluationPeriods>1</EvaluationPeriods>
        <Threshold>1.0E7</Threshold>
        <ComparisonOperator>GreaterThanOrEqualToThreshold</ComparisonOperator>
        <TreatMissingData>ignore</TreatMissingData>
      </member>
    </MetricAlarms>
    <NextToken>page-2</NextToken>
  </DescribeAlarmsResult>
  <ResponseMetadata><RequestId>f9c1f2a4</RequestId></ResponseMetadata>
</DescribeAlarmsResponse>)";

TEST(ParseDescribeAlarms, ReadsNestedMemberLists) {
  std::string next_token;
  auto alarms = ParseDescribeAlarms(kDescribeAlarmsReply, &next_token);
  ASSERT_TRUE(alarms.ok()) << alarms.error().message;
  ASSERT_EQ(alarms->size(), 1U);
  const MetricAlarm& alarm = (*alarms)[0];
  EXPECT_EQ(alarm.name, "costwatch-monthly");
  EXPECT_EQ(alarm.description, "over & out");
  EXPECT_EQ(alarm.alarm_actions,
            std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:costwatch-monthly"});
  EXPECT_EQ(alarm.dimensions, (Dimensions{{"Currency", "USD"}, {"ServiceName", "AmazonEC2"}}));
  EXPECT_EQ(alarm.threshold, "1.0E7");
  EXPECT_EQ(alarm.period_seconds, 21600);
  EXPECT_EQ(alarm.evaluation_periods, 1);
  EXPECT_EQ(alarm.state_value, "INSUFFICIENT_DATA");
  EXPECT_EQ(alarm.treat_missing_data, "ignore");
  EXPECT_EQ(next_token, "page-2");
  EXPECT_FALSE(ParseDescribeAlarms("<Other/>", &next_token).ok());
}

class CloudWatchClientTest : public ::testing::Test {
 protected:
  CloudWatchClient Client() {
    return {net_.http, credentials_,
            aws::ServiceEndpoint{"https://monitoring.us-east-1.amazonaws.com/", "us-east-1",
                                 "monitoring"},
            net_.context()};
  }
  ScriptedNetwork net_;
  FixedCredentials credentials_;
};

// The parameters botocore 1.43 serialised for the same alarm
// (tests/data/sigv4/generated-botocore, monitoring-PutMetricAlarm-query), decoded.
TEST_F(CloudWatchClientTest, PutMetricAlarmSerialisesAsBotocore) {
  net_.http.reply(200, "<PutMetricAlarmResponse/>");
  MetricAlarm alarm;
  alarm.name = "billing-over-100-USD";
  alarm.description = "EstimatedCharges >= 100 USD";
  alarm.alarm_actions = {"arn:aws:sns:us-east-1:123456789012:billing-alerts"};
  alarm.metric_name = "EstimatedCharges";
  alarm.namespace_name = "AWS/Billing";
  alarm.statistic = "Maximum";
  alarm.dimensions = {{"Currency", "USD"}};
  alarm.period_seconds = 21600;
  alarm.evaluation_periods = 1;
  alarm.threshold = "100.0";
  alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  alarm.treat_missing_data = "notBreaching";
  ASSERT_TRUE(Client().PutMetricAlarm(alarm).ok());
  EXPECT_EQ(
      FormFields(net_.http.sent[0].body),
      FormFields(
          "Action=PutMetricAlarm&Version=2010-08-01&AlarmName=billing-over-100-USD&"
          "AlarmDescription=EstimatedCharges+%3E%3D+100+USD&ActionsEnabled=true&AlarmActions."
          "member.1=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Abilling-alerts&MetricName="
          "EstimatedCharges&Namespace=AWS%2FBilling&Statistic=Maximum&Dimensions.member.1.Name="
          "Currency&Dimensions.member.1.Value=USD&Period=21600&EvaluationPeriods=1&Threshold=100."
          "0&ComparisonOperator=GreaterThanOrEqualToThreshold&TreatMissingData=notBreaching"));
}

TEST_F(CloudWatchClientTest, DescribeFollowsNextTokenAndMetricDataIsListMetrics) {
  net_.http.reply(200, std::string(kDescribeAlarmsReply));
  net_.http.reply(200,
                  "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/>"
                  "</DescribeAlarmsResult></DescribeAlarmsResponse>");
  auto alarms = Client().DescribeAlarmsWithPrefix("costwatch-");
  ASSERT_TRUE(alarms.ok()) << alarms.error().message;
  EXPECT_EQ(alarms->size(), 1U);
  EXPECT_EQ(Field(net_.http.sent[0], "AlarmNamePrefix"), "costwatch-");
  EXPECT_EQ(Field(net_.http.sent[1], "NextToken"), "page-2");

  net_.http.reply(200,
                  "<ListMetricsResponse><ListMetricsResult><Metrics/></ListMetricsResult>"
                  "</ListMetricsResponse>");
  auto has_data = Client().MetricHasData("AWS/Billing", "EstimatedCharges", {{"Currency", "USD"}});
  ASSERT_TRUE(has_data.ok());
  EXPECT_FALSE(*has_data);
  EXPECT_EQ(Actions(net_.http).back(), "ListMetrics");
  EXPECT_EQ(Field(net_.http.sent.back(), "Dimensions.member.1.Value"), "USD");
}

TEST_F(CloudWatchClientTest, ErrorsAreOneLineWithTheAwsCode) {
  net_.http.reply(403,
                  "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
                  "User is not authorized to perform: cloudwatch:PutMetricAlarm</Message></Error>"
                  "</ErrorResponse>");
  auto result = Client().PutMetricAlarm(MetricAlarm{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message,
            "PutMetricAlarm failed: AccessDenied: User is not authorized to perform: "
            "cloudwatch:PutMetricAlarm");
}

}  // namespace
}  // namespace costwatch::alarms::cloudwatch
