#include "aws/sts_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/xml_text.h"
#include "scripted_http.h"

namespace costwatch::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ScriptedNetwork;

constexpr std::string_view kAssumeRoleReply =
    R"(<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE&amp;KEY</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEXAMPLE</SessionToken>
      <Expiration>2015-08-30T13:36:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
</AssumeRoleResponse>)";

TEST(XmlText, FindsNestedElementsAndDecodesEntities) {
  EXPECT_EQ(XmlText(kAssumeRoleReply, {"AssumeRoleResult", "Credentials", "SecretAccessKey"}),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE&KEY");
  EXPECT_EQ(
      XmlText("<a:R><a:X attr='1'>1 &lt; 2 &#38; &#x263A; &bogus; &#0;</a:X></a:R>", {"R", "X"}),
      "1 < 2 & \u263A &bogus; &#0;");
  EXPECT_EQ(XmlText("<R><X><![CDATA[<raw> & ]]></X></R>", {"R", "X"}), "<raw> & ");
  EXPECT_EQ(XmlText("<R><X/></R>", {"R", "X"}), "");
  EXPECT_EQ(XmlText("<R><XY>no</XY></R>", {"R", "X"}), std::nullopt);
  EXPECT_EQ(XmlText("<R><X>unterminated", {"R", "X"}), std::nullopt);
  EXPECT_EQ(XmlText("", {"R"}), std::nullopt);
}

TEST(FormEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(FormEncode("arn:aws:iam::1:role/a b+c~d_e.f-g"),
            "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc~d_e.f-g");
}

TEST(ResolveStsEndpoint, IsRegionalGlobalOrConfigured) {
  SharedConfig config;
  MapEnvironment env;
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url, "https://sts.amazonaws.com/");
  env.set("AWS_REGION", "eu-west-1");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url, "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->signing_region, "eu-west-1");
  env.set("AWS_STS_REGIONAL_ENDPOINTS", "legacy");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url, "https://sts.amazonaws.com/");
  env.set("AWS_REGION", "cn-north-1");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url,
            "https://sts.cn-north-1.amazonaws.com.cn/");
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url, "http://127.0.0.1:5000");
  env.set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:6000");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url, "http://127.0.0.1:6000");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(ResolveStsEndpoint(env, config, nullptr)->url,
            "https://sts.cn-north-1.amazonaws.com.cn/");
  env.set("AWS_STS_REGIONAL_ENDPOINTS", "sometimes");
  EXPECT_FALSE(ResolveStsEndpoint(env, config, nullptr).ok());
}

class StsClientTest : public ::testing::Test {
 protected:
  StsClient Client(std::string url = "https://sts.us-east-1.amazonaws.com/") {
    return StsClient(http_, ServiceEndpoint{std::move(url), "us-east-1", "sts"}, net_.context());
  }
  ScriptedNetwork net_;
  testing::ScriptedHttp& http_ = net_.http;
  Credentials source_{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "test"};
};

// The request botocore 1.43 signed for GetCallerIdentity (tests/data/sigv4/generated-botocore).
TEST_F(StsClientTest, GetCallerIdentityMatchesBotocoreSignature) {
  http_.reply(200,
              "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:"
              "user/a&amp;b</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
              "</GetCallerIdentityResult></GetCallerIdentityResponse>");
  auto identity = Client().GetCallerIdentity(source_);
  ASSERT_TRUE(identity.ok()) << identity.error().message;
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(identity->arn, "arn:aws:iam::123456789012:user/a&b");
  EXPECT_EQ(identity->user_id, "AIDAEXAMPLE");
  ASSERT_EQ(http_.sent.size(), 1U);
  EXPECT_EQ(http_.sent[0].body, "Action=GetCallerIdentity&Version=2011-06-15");
  EXPECT_EQ(http_.sent[0].header("Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=52a8540fea00e731072179f763577cbe2a45eac2c5d32fb4d785f3eefac88165");
}

TEST_F(StsClientTest, AssumeRoleSendsTheParametersAndReadsCredentials) {
  http_.reply(200, std::string(kAssumeRoleReply));
  auto credentials =
      Client().AssumeRole(source_, {"arn:aws:iam::123456789012:role/r", "s", "ext id", 3600});
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ(credentials->access_key_id, "ASIAEXAMPLE");
  EXPECT_EQ(credentials->secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE&KEY");
  EXPECT_EQ(credentials->session_token, "FwoGZXIvYXdzEXAMPLE");
  EXPECT_EQ(credentials->expiration, net_.now + std::chrono::hours{1});
  EXPECT_EQ(http_.sent[0].body,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%"
            "2Fr&RoleSessionName=s&DurationSeconds=3600&ExternalId=ext%20id");
}

TEST_F(StsClientTest, WebIdentityIsUnsignedAndTheTokenNeverInErrors) {
  http_.reply(400,
              "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code>"
              "<Message>Token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMzQ1Njc4OTAifQxyz is bad</Message>"
              "</Error></ErrorResponse>");
  auto credentials = Client().AssumeRoleWithWebIdentity(
      {"arn:aws:iam::1:role/r", "s", {}, {}}, "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMzQ1Njc4OTAifQxyz");
  ASSERT_FALSE(credentials.ok());
  EXPECT_THAT(credentials.error().message, HasSubstr("InvalidIdentityToken"));
  EXPECT_THAT(credentials.error().message, Not(HasSubstr("eyJhbGciOiJSUzI1NiIsImtpZCI6")));
  EXPECT_FALSE(http_.sent[0].header("Authorization"));
  EXPECT_THAT(http_.sent[0].body, HasSubstr("&WebIdentityToken=eyJ"));
}

TEST_F(StsClientTest, RetriesThrottlingAndServerErrorsNotAccessDenied) {
  http_.reply(400, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>");
  http_.reply(503, "");
  http_.reply(200, std::string(kAssumeRoleReply));
  EXPECT_TRUE(Client().AssumeRole(source_, {"arn:aws:iam::1:role/r", "s", {}, {}}).ok());
  EXPECT_EQ(net_.sleeps.size(), 2U);

  http_.reply(403,
              "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform "
              "sts:AssumeRole</Message></Error></ErrorResponse>");
  auto denied = Client().AssumeRole(source_, {"arn:aws:iam::1:role/r", "s", {}, {}});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().message,
            "AssumeRole failed: AccessDenied: not authorized to perform sts:AssumeRole");
  EXPECT_THAT(denied.error().message, Not(HasSubstr(source_.secret_access_key)));
}

TEST_F(StsClientTest, RefusesIncompleteReplies) {
  http_.reply(200,
              "<AssumeRoleResponse><AssumeRoleResult></AssumeRoleResult></AssumeRoleResponse>");
  auto credentials = Client().AssumeRole(source_, {"arn:aws:iam::1:role/r", "s", {}, {}});
  ASSERT_FALSE(credentials.ok());
  EXPECT_THAT(credentials.error().message, HasSubstr("no complete Credentials"));
}

}  // namespace
}  // namespace costwatch::aws
