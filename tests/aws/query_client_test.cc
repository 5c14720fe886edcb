#include "aws/query_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/xml_text.h"
#include "scripted_http.h"

namespace costwatch::aws {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScriptedNetwork;

TEST(QueryParams, FlattensListsAndPairsAsMembers) {
  QueryParams params;
  params.add("AlarmName", "costwatch-a b")
      .add_list("AlarmActions", {"arn:aws:sns:us-east-1:1:t"})
      .add_pairs("Dimensions", "Name", "Value",
                 {{"Currency", "USD"}, {"ServiceName", "Amazon EC2"}});
  EXPECT_EQ(params.Encode(),
            "&AlarmName=costwatch-a%20b"
            "&AlarmActions.member.1=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At"
            "&Dimensions.member.1.Name=Currency&Dimensions.member.1.Value=USD"
            "&Dimensions.member.2.Name=ServiceName&Dimensions.member.2.Value=Amazon%20EC2");
  EXPECT_EQ(QueryParams().Encode(), "");
}

TEST(XmlChildren, ReadsNestedMemberListsInOrder) {
  constexpr std::string_view kXml =
      R"(<?xml version="1.0"?><R xmlns="x"><List><member><Name>a</Name><Inner><member>1</member>)"
      R"(<member>2</member></Inner></member><!-- <member>no</member> --><member><Name>b&amp;c)"
      R"(</Name><Inner/></member></List></R>)";
  auto list = XmlChild(kXml, {"R", "List"});
  ASSERT_TRUE(list);
  auto members = XmlChildren(*list, "member");
  ASSERT_EQ(members.size(), 2U);
  EXPECT_EQ(XmlChildText(members[0], {"Name"}), "a");
  EXPECT_THAT(XmlChildren(*XmlChild(members[0], {"Inner"}), "member"), ElementsAre("1", "2"));
  EXPECT_EQ(XmlChildText(members[1], {"Name"}), "b&c");
  EXPECT_EQ(XmlChild(members[1], {"Inner"}), "");
  EXPECT_EQ(XmlChild(kXml, {"R", "Missing"}), std::nullopt);
  // Only direct children: Name is inside member, not a child of List.
  EXPECT_EQ(XmlChild(*list, {"Name"}), std::nullopt);
  EXPECT_TRUE(XmlChildren("<R><member>unclosed</R>", "member").empty());
}

TEST(ParseQueryError, ReadsCodeAndMessageOrFallsBackToStatus) {
  auto error =
      ParseQueryError({400,
                       {},
                       "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                       "<Message>Threshold must be &gt; 0</Message></Error></ErrorResponse>"});
  EXPECT_EQ(error.code, "ValidationError");
  EXPECT_EQ(error.message, "Threshold must be > 0");
  EXPECT_EQ(ParseQueryError({503, {}, "<html>busy</html>"}).code, "HTTP 503");
  EXPECT_EQ(ParseQueryError({503, {}, ""}).message, "server error");
}

class QueryClientTest : public ::testing::Test {
 protected:
  QueryClient Client(std::string service, std::string version) {
    return {
        net_.http,
        ServiceEndpoint{"https://" + service + ".us-east-1.amazonaws.com/", "us-east-1", service},
        std::move(version), net_.context()};
  }
  ScriptedNetwork net_;
  Credentials credentials_{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "t"};
};

// Bodies and signatures botocore 1.43 produced (tests/data/sigv4/generated-botocore,
// monitoring-DescribeAlarms-query and sns-Subscribe-email-query).
TEST_F(QueryClientTest, MatchesBotocoreForCloudWatchAndSns) {
  net_.http.reply(200, "<DescribeAlarmsResponse/>");
  QueryParams describe;
  describe.add("AlarmNamePrefix", "billing-").add("MaxRecords", "50");
  ASSERT_TRUE(Client("monitoring", "2010-08-01").Call("DescribeAlarms", describe, &credentials_));
  EXPECT_EQ(net_.http.sent[0].body,
            "Action=DescribeAlarms&Version=2010-08-01&AlarmNamePrefix=billing-&MaxRecords=50");
  EXPECT_EQ(net_.http.sent[0].header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/monitoring/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=a84fd36d5d00a50a9dfc07fe22fb43a9dfadc9918c2d99199352c551bb4d55fe");

  net_.http.reply(200, "<SubscribeResponse/>");
  QueryParams subscribe;
  subscribe.add("TopicArn", "arn:aws:sns:us-east-1:123456789012:billing-alerts")
      .add("Protocol", "email")
      .add("Endpoint", "ops+billing@example.com")
      .add("ReturnSubscriptionArn", "true");
  ASSERT_TRUE(Client("sns", "2010-03-31").Call("Subscribe", subscribe, &credentials_));
  EXPECT_EQ(net_.http.sent[1].header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sns/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=d82c581a74dfcd644835614f35ede5ff56b85a6f75888b233fec0b15df6b783e");
}

TEST_F(QueryClientTest, RetriesThrottlingAndKeepsTheLastErrorCode) {
  net_.http.reply(400, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>");
  net_.http.reply(200, "<ok/>");
  QueryClient client = Client("sns", "2010-03-31");
  auto body = client.Call("ListTopics", QueryParams{}, &credentials_);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(*body, "<ok/>");
  EXPECT_EQ(client.last_error_code(), "");  // the retried Throttling did not end the call
  EXPECT_EQ(net_.sleeps.size(), 1U);
  EXPECT_EQ(client.stats().retries, 1);

  net_.http.reply(404,
                  "<ErrorResponse><Error><Code>NotFound</Code><Message>Topic does not exist"
                  "</Message></Error></ErrorResponse>");
  auto missing = client.Call("DeleteTopic", QueryParams{}, &credentials_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "DeleteTopic failed: NotFound: Topic does not exist");
  EXPECT_EQ(client.last_error_code(), "NotFound");
  EXPECT_THAT(missing.error().message, ::testing::Not(HasSubstr(credentials_.secret_access_key)));
}

}  // namespace
}  // namespace costwatch::aws
