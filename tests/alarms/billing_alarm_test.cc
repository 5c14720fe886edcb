#include "alarms/cloudwatch/billing_alarm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "alarm_test_util.h"

namespace costwatch::alarms::cloudwatch {
namespace {

using aws::testing::ScriptedNetwork;
using testing::Actions;
using ::testing::ElementsAre;
using testing::Field;
using testing::FixedCredentials;
using ::testing::HasSubstr;

constexpr std::string_view kTopicArn = "arn:aws:sns:us-east-1:123456789012:costwatch-monthly";

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

// A DescribeAlarms reply for `alarm` as CloudWatch writes it (threshold as AWS prints it).
std::string DescribeReply(const std::optional<MetricAlarm>& alarm, std::string threshold = "") {
  std::string xml = "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms>";
  if (alarm) {
    xml += "<member><AlarmName>" + alarm->name + "</AlarmName><AlarmDescription>" +
           Escape(alarm->description) + "</AlarmDescription><ActionsEnabled>true</ActionsEnabled>" +
           "<AlarmActions>";
    for (const auto& action : alarm->alarm_actions) xml += "<member>" + action + "</member>";
    xml +=
        "</AlarmActions><StateValue>INSUFFICIENT_DATA</StateValue><StateReason>Unchecked"
        "</StateReason><MetricName>" +
        alarm->metric_name + "</MetricName><Namespace>" + alarm->namespace_name +
        "</Namespace><Statistic>" + alarm->statistic + "</Statistic><Dimensions>";
    // CloudWatch does not promise the order it was given.
    for (auto it = alarm->dimensions.rbegin(); it != alarm->dimensions.rend(); ++it) {
      xml += "<member><Name>" + it->first + "</Name><Value>" + it->second + "</Value></member>";
    }
    xml += "</Dimensions><Period>" + std::to_string(alarm->period_seconds) +
           "</Period><EvaluationPeriods>1</EvaluationPeriods><Threshold>" +
           (threshold.empty() ? alarm->threshold : threshold) + "</Threshold><ComparisonOperator>" +
           alarm->comparison_operator + "</ComparisonOperator><TreatMissingData>" +
           alarm->treat_missing_data + "</TreatMissingData></member>";
  }
  return xml + "</MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>";
}

std::string SubscriptionsReply(const std::vector<Subscription>& subscriptions) {
  std::string xml =
      "<ListSubscriptionsByTopicResponse><ListSubscriptionsByTopicResult><Subscriptions>";
  for (const Subscription& s : subscriptions) {
    xml += "<member><TopicArn>" + std::string(kTopicArn) + "</TopicArn><Protocol>" + s.protocol +
           "</Protocol><SubscriptionArn>" + s.arn + "</SubscriptionArn><Endpoint>" + s.endpoint +
           "</Endpoint></member>";
  }
  return xml +
         "</Subscriptions></ListSubscriptionsByTopicResult>"
         "</ListSubscriptionsByTopicResponse>";
}

const std::string kEmptyTopics =
    "<ListTopicsResponse><ListTopicsResult><Topics/></ListTopicsResult></ListTopicsResponse>";
const std::string kCreateTopic = "<CreateTopicResponse><CreateTopicResult><TopicArn>" +
                                 std::string(kTopicArn) +
                                 "</TopicArn></CreateTopicResult></CreateTopicResponse>";

class BillingAlarmTest : public ::testing::Test {
 protected:
  BillingAlarmTest()
      : cloudwatch_(net_.http, credentials_,
                    aws::ServiceEndpoint{"https://monitoring.us-east-1.amazonaws.com/", "us-east-1",
                                         "monitoring"},
                    net_.context()),
        sns_(net_.http, credentials_,
             aws::ServiceEndpoint{"https://sns.us-east-1.amazonaws.com/", "us-east-1", "sns"},
             net_.context()) {
    spec_.name = "monthly";
    spec_.threshold = "10.5";
    spec_.emails = {"a@example.com", "b@example.com"};
    spec_.service = "AmazonEC2";
  }

  Subscription Confirmed(const std::string& email) {
    return {std::string(kTopicArn) + ":" + email, "email", email};
  }
  Subscription Pending(const std::string& email) {
    return {std::string(kPendingConfirmation), "email", email};
  }

  ScriptedNetwork net_;
  FixedCredentials credentials_;
  CloudWatchClient cloudwatch_;
  SnsClient sns_;
  BillingAlarmSpec spec_;
};

TEST_F(BillingAlarmTest, FirstRunCreatesTopicSubscriptionsAndAlarm) {
  net_.http.reply(200, DescribeReply(std::nullopt));
  net_.http.reply(200, kEmptyTopics);
  net_.http.reply(200, kCreateTopic);
  net_.http.reply(200, "<SubscribeResponse/>");
  net_.http.reply(200, "<SubscribeResponse/>");
  net_.http.reply(200, "<PutMetricAlarmResponse/>");
  auto report = ProvisionBillingAlarm(cloudwatch_, sns_, spec_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(Actions(net_.http), ElementsAre("DescribeAlarms", "ListTopics", "CreateTopic",
                                              "Subscribe", "Subscribe", "PutMetricAlarm"));
  EXPECT_EQ(Field(net_.http.sent[2], "Name"), "costwatch-monthly");
  const http::Request& put = net_.http.sent[5];
  EXPECT_EQ(Field(put, "AlarmName"), "costwatch-monthly");
  EXPECT_EQ(Field(put, "Threshold"), "10.5");
  EXPECT_EQ(Field(put, "Namespace"), "AWS/Billing");
  EXPECT_EQ(Field(put, "MetricName"), "EstimatedCharges");
  EXPECT_EQ(Field(put, "Statistic"), "Maximum");
  EXPECT_EQ(Field(put, "Period"), "21600");
  EXPECT_EQ(Field(put, "ComparisonOperator"), "GreaterThanOrEqualToThreshold");
  EXPECT_EQ(Field(put, "AlarmActions.member.1"), kTopicArn);
  EXPECT_EQ(Field(put, "Dimensions.member.2.Name"), "ServiceName");
  EXPECT_EQ(report->changes.size(), 4U);
  EXPECT_THAT(report->changes.back(), HasSubstr("created alarm costwatch-monthly"));
}

TEST_F(BillingAlarmTest, SecondRunMakesNoMutatingCalls) {
  const MetricAlarm existing = DesiredAlarm(spec_, std::string(kTopicArn));
  net_.http.reply(200, DescribeReply(existing, "10.50"));
  // An address that has not clicked its link yet counts as subscribed: no second e-mail.
  net_.http.reply(200, SubscriptionsReply({Confirmed("a@example.com"), Pending("b@example.com")}));
  auto report = ProvisionBillingAlarm(cloudwatch_, sns_, spec_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->changed());
  EXPECT_THAT(Actions(net_.http), ElementsAre("DescribeAlarms", "ListSubscriptionsByTopic"));
  EXPECT_EQ(report->topic_arn, kTopicArn);
}

TEST_F(BillingAlarmTest, ChangesOnlyWhatDiffers) {
  MetricAlarm existing = DesiredAlarm(spec_, std::string(kTopicArn));
  spec_.threshold = "20";
  spec_.emails = {"a@example.com"};
  net_.http.reply(200, DescribeReply(existing, "10.5"));
  net_.http.reply(200, SubscriptionsReply({Confirmed("a@example.com"), Confirmed("old@example.com"),
                                           Pending("b@example.com")}));
  net_.http.reply(200, "<UnsubscribeResponse/>");
  net_.http.reply(200, "<PutMetricAlarmResponse/>");
  auto report = ProvisionBillingAlarm(cloudwatch_, sns_, spec_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(Actions(net_.http), ElementsAre("DescribeAlarms", "ListSubscriptionsByTopic",
                                              "Unsubscribe", "PutMetricAlarm"));
  EXPECT_EQ(Field(net_.http.sent[2], "SubscriptionArn"),
            std::string(kTopicArn) + ":old@example.com");
  EXPECT_THAT(report->changes,
              ElementsAre("unsubscribed old@example.com",
                          HasSubstr("updated alarm costwatch-monthly: threshold 10.5 -> 20")));
  ASSERT_EQ(report->notes.size(), 1U);
  EXPECT_THAT(report->notes[0], HasSubstr("b@example.com is no longer wanted"));
}

TEST_F(BillingAlarmTest, DifferencesCompareThresholdsAsDecimals) {
  const MetricAlarm desired = DesiredAlarm(spec_, std::string(kTopicArn));
  MetricAlarm existing = desired;
  existing.threshold = "10.50";
  EXPECT_THAT(AlarmDifferences(existing, desired), ::testing::IsEmpty());
  existing.dimensions = {desired.dimensions[1], desired.dimensions[0]};
  EXPECT_THAT(AlarmDifferences(existing, desired), ::testing::IsEmpty());
  existing.threshold = "1.0E7";
  existing.treat_missing_data = "missing";
  EXPECT_THAT(AlarmDifferences(existing, desired),
              ElementsAre("threshold 10000000 -> 10.5", "missing data missing -> ignore"));
}

TEST_F(BillingAlarmTest, StatusReportsPendingConfirmationAndMissingBillingData) {
  net_.http.reply(200, DescribeReply(DesiredAlarm(spec_, std::string(kTopicArn))));
  net_.http.reply(200, SubscriptionsReply({Confirmed("a@example.com"), Pending("b@example.com")}));
  net_.http.reply(200,
                  "<ListMetricsResponse><ListMetricsResult><Metrics/></ListMetricsResult>"
                  "</ListMetricsResponse>");
  auto status = ReadBillingAlarmStatus(cloudwatch_, sns_, "monthly");
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_TRUE(status->has_value());
  const BillingAlarmStatus& s = **status;
  EXPECT_EQ(s.alarm.state_value, "INSUFFICIENT_DATA");
  EXPECT_EQ(s.topic_arn, std::string(kTopicArn));
  ASSERT_EQ(s.subscriptions.size(), 2U);
  EXPECT_FALSE(s.subscriptions[0].pending());
  EXPECT_TRUE(s.subscriptions[1].pending());
  EXPECT_FALSE(s.has_billing_data);
  EXPECT_THAT(Actions(net_.http),
              ElementsAre("DescribeAlarms", "ListSubscriptionsByTopic", "ListMetrics"));

  net_.http.reply(200, DescribeReply(std::nullopt));
  auto missing = ReadBillingAlarmStatus(cloudwatch_, sns_, "monthly");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(BillingAlarmTest, DeleteRemovesAlarmSubscriptionsAndTopicThenNothing) {
  net_.http.reply(200, DescribeReply(DesiredAlarm(spec_, std::string(kTopicArn))));
  net_.http.reply(200, SubscriptionsReply({Confirmed("a@example.com"), Pending("b@example.com")}));
  net_.http.reply(200, "<DeleteAlarmsResponse/>");
  net_.http.reply(200, "<UnsubscribeResponse/>");
  net_.http.reply(200, "<DeleteTopicResponse/>");
  auto report = DeleteBillingAlarm(cloudwatch_, sns_, "monthly");
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_THAT(Actions(net_.http), ElementsAre("DescribeAlarms", "ListSubscriptionsByTopic",
                                              "DeleteAlarms", "Unsubscribe", "DeleteTopic"));
  EXPECT_THAT(report->deleted, ElementsAre("alarm costwatch-monthly", "subscription a@example.com",
                                           "SNS topic " + std::string(kTopicArn) +
                                               " (with 1 unconfirmed subscription)"));

  net_.http.sent.clear();
  net_.http.reply(200, DescribeReply(std::nullopt));
  net_.http.reply(200, kEmptyTopics);
  auto again = DeleteBillingAlarm(cloudwatch_, sns_, "monthly");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->deleted.empty());
  EXPECT_THAT(Actions(net_.http), ElementsAre("DescribeAlarms", "ListTopics"));
}

}  // namespace
}  // namespace costwatch::alarms::cloudwatch
