#include "alarms/cloudwatch/sns_client.h"

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

// The ListSubscriptionsByTopic example of the SNS API reference, plus the second member real
// AWS returns for an address that has not clicked the confirmation link yet.
constexpr std::string_view kListSubscriptionsReply =
    R"(<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <ListSubscriptionsByTopicResult>
    <Subscriptions>
      <member>
        <TopicArn>arn:aws:sns:us-east-1:123456789012:costwatch-monthly</TopicArn>
        <Protocol>email</Protocol>
        <SubscriptionArn>arn:aws:sns:us-east-1:123456789012:costwatch-monthly:80289ba6-0fd4-4079-afb4-ce8c8260f0ca</SubscriptionArn>
        <Owner>123456789012</Owner>
        <Endpoint>example@amazon.com</Endpoint>
      </member>
      <member>
        <TopicArn>arn:aws:sns:us-east-1:123456789012:costwatch-monthly</TopicArn>
        <Protocol>email</Protocol>
        <SubscriptionArn>PendingConfirmation</SubscriptionArn>
        <Owner>123456789012</Owner>
        <Endpoint>new@example.com</Endpoint>
      </member>
    </Subscriptions>
  </ListSubscriptionsByTopicResult>
  <ResponseMetadata>
    <RequestId>b9275252-3774-11df-9540-99d0768312d3</RequestId>
  </ResponseMetadata>
</ListSubscriptionsByTopicResponse>)";

TEST(ParseSubscriptions, TellsConfirmedFromPendingConfirmation) {
  std::string next_token = "stale";
  auto subscriptions = ParseSubscriptions(kListSubscriptionsReply, &next_token);
  ASSERT_TRUE(subscriptions.ok()) << subscriptions.error().message;
  ASSERT_EQ(subscriptions->size(), 2U);
  EXPECT_EQ((*subscriptions)[0].endpoint, "example@amazon.com");
  EXPECT_FALSE((*subscriptions)[0].pending());
  EXPECT_EQ((*subscriptions)[1].endpoint, "new@example.com");
  EXPECT_TRUE((*subscriptions)[1].pending());
  EXPECT_EQ(next_token, "");
}

class SnsClientTest : public ::testing::Test {
 protected:
  SnsClient Client() {
    return {net_.http, credentials_,
            aws::ServiceEndpoint{"https://sns.us-east-1.amazonaws.com/", "us-east-1", "sns"},
            net_.context()};
  }
  ScriptedNetwork net_;
  FixedCredentials credentials_;
};

TEST_F(SnsClientTest, AMissingTopicIsNotAnError) {
  const std::string not_found =
      "<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not "
      "exist</Message></Error></ErrorResponse>";
  net_.http.reply(404, not_found);
  net_.http.reply(404, not_found);
  SnsClient sns = Client();
  auto subscriptions = sns.ListSubscriptionsByTopic("arn:aws:sns:us-east-1:1:gone");
  ASSERT_TRUE(subscriptions.ok()) << subscriptions.error().message;
  EXPECT_FALSE(subscriptions->has_value());
  EXPECT_TRUE(sns.DeleteTopic("arn:aws:sns:us-east-1:1:gone").ok());

  net_.http.reply(403,
                  "<ErrorResponse><Error><Code>AuthorizationError</Code></Error></ErrorResponse>");
  EXPECT_FALSE(sns.DeleteTopic("arn:aws:sns:us-east-1:1:t").ok());
}

TEST_F(SnsClientTest, FindTopicPagesThroughListTopics) {
  net_.http.reply(200,
                  "<ListTopicsResponse><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:"
                  "us-east-1:1:other</TopicArn></member></Topics><NextToken>n2</NextToken>"
                  "</ListTopicsResult></ListTopicsResponse>");
  net_.http.reply(200,
                  "<ListTopicsResponse><ListTopicsResult><Topics><member><TopicArn>arn:aws:sns:"
                  "us-east-1:1:costwatch-x</TopicArn></member></Topics></ListTopicsResult>"
                  "</ListTopicsResponse>");
  auto topic = Client().FindTopic("costwatch-x");
  ASSERT_TRUE(topic.ok()) << topic.error().message;
  EXPECT_EQ(*topic, "arn:aws:sns:us-east-1:1:costwatch-x");
  EXPECT_EQ(Field(net_.http.sent[1], "NextToken"), "n2");
}

// The parameters botocore 1.43 serialised for the same message
// (tests/data/sigv4/generated-botocore, sns-Publish-unicode-query), decoded.
TEST_F(SnsClientTest, PublishSerialisesAsBotocoreAndReturnsTheMessageId) {
  net_.http.reply(200,
                  "<PublishResponse><PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b"
                  "</MessageId></PublishResult></PublishResponse>");
  auto id =
      Client().Publish("arn:aws:sns:us-east-1:123456789012:billing-alerts", "Budget 80% reached",
                       "Spend \u20ac81.50 of \u20ac100 ~ (a b+c/d*e) \U0001F600\nline2");
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, "94f20ce6-13c5-43a0-9a9e-ca52d816e90b");
  EXPECT_EQ(
      FormFields(net_.http.sent[0].body),
      FormFields("Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%"
                 "3A123456789012%3Abilling-alerts&Subject=Budget+80%25+reached&Message=Spend+"
                 "%E2%82%AC81.50+of+%E2%82%AC100+~+%28a+b%2Bc%2Fd%2Ae%29+%F0%9F%98%80%0Aline2"));
}

TEST_F(SnsClientTest, SubscribeAsksForTheSubscriptionArn) {
  net_.http.reply(200, "<SubscribeResponse/>");
  ASSERT_TRUE(Client().Subscribe("arn:aws:sns:us-east-1:1:t", "email", "a+b@example.com").ok());
  EXPECT_EQ(Actions(net_.http), std::vector<std::string>{"Subscribe"});
  EXPECT_EQ(Field(net_.http.sent[0], "Endpoint"), "a+b@example.com");
  EXPECT_EQ(Field(net_.http.sent[0], "ReturnSubscriptionArn"), "true");
}

}  // namespace
}  // namespace costwatch::alarms::cloudwatch
