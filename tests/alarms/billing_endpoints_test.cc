#include "alarms/cloudwatch/billing_endpoints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace costwatch::alarms::cloudwatch {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kTopic = "arn:aws:sns:eu-west-1:123456789012:costwatch-alerts";

Result<aws::ServiceEndpoint> Resolve(const aws::Environment& env, std::string_view arn) {
  const aws::SharedConfig config;
  return SnsTopicEndpoint(env, config, nullptr, arn);
}

TEST(SnsTopicEndpoint, IsTheRegionOfTheTopicArn) {
  // Neither the process's region nor the billing region matters: a topic is published to in
  // its own region.
  aws::MapEnvironment env;
  env.set("AWS_REGION", "us-west-2");
  env.set("AWS_DEFAULT_REGION", "ap-southeast-2");
  auto endpoint = Resolve(env, kTopic);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://sns.eu-west-1.amazonaws.com/");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");
  EXPECT_EQ(endpoint->signing_service, "sns");
}

TEST(SnsTopicEndpoint, ChinaTopicsUseTheirPartitionsDomain) {
  aws::MapEnvironment env;
  auto endpoint = Resolve(env, "arn:aws-cn:sns:cn-north-1:123456789012:alerts");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://sns.cn-north-1.amazonaws.com.cn/");
  EXPECT_EQ(endpoint->signing_region, "cn-north-1");
  EXPECT_EQ(endpoint->signing_service, "sns");
}

TEST(SnsTopicEndpoint, GovCloudTopicsUseTheCommercialDomain) {
  aws::MapEnvironment env;
  auto endpoint = Resolve(env, "arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://sns.us-gov-west-1.amazonaws.com/");
  EXPECT_EQ(endpoint->signing_region, "us-gov-west-1");
}

TEST(SnsTopicEndpoint, AConfiguredUrlWinsButIsSignedForTheTopicsRegion) {
  aws::MapEnvironment env;
  env.set("AWS_REGION", "us-east-1");
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
  auto endpoint = Resolve(env, kTopic);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:4566");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");
  EXPECT_EQ(endpoint->signing_service, "sns");

  // The service's own variable beats the general one.
  env.set("AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:5000");
  endpoint = Resolve(env, kTopic);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:5000");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");

  // Also for a topic of another partition.
  endpoint = Resolve(env, "arn:aws-cn:sns:cn-northwest-1:123456789012:alerts");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:5000");
  EXPECT_EQ(endpoint->signing_region, "cn-northwest-1");
}

TEST(SnsTopicEndpoint, TheProfilesServicesSectionIsAConfiguredUrl) {
  auto config = aws::SharedConfig::Parse(
      "[profile local]\nservices = emulators\n"
      "[services emulators]\nsns =\n  endpoint_url = http://127.0.0.1:4575\n",
      std::nullopt);
  ASSERT_TRUE(config) << config.error().message;
  aws::MapEnvironment env;
  auto endpoint = SnsTopicEndpoint(env, *config, config->profile("local"), kTopic);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "http://127.0.0.1:4575");
  EXPECT_EQ(endpoint->signing_region, "eu-west-1");
}

TEST(SnsTopicEndpoint, IgnoringConfiguredUrlsGoesToAws) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:5000");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  auto endpoint = Resolve(env, kTopic);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://sns.eu-west-1.amazonaws.com/");
}

TEST(SnsTopicEndpoint, AnInvalidConfiguredUrlIsAnError) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL_SNS", "localhost:4566");
  auto endpoint = Resolve(env, kTopic);
  ASSERT_FALSE(endpoint);
  EXPECT_THAT(endpoint.error().message, StartsWith("sns endpoint URL"));
  EXPECT_THAT(endpoint.error().message, HasSubstr("localhost:4566"));
}

TEST(SnsTopicEndpoint, MalformedArnsAreRefusedByName) {
  aws::MapEnvironment env;
  for (const std::string_view arn : {
           "",
           "costwatch-alerts",
           "arn:aws:sns:eu-west-1:123456789012",                 // no topic name
           "arn:aws:sns:eu-west-1:123456789012:alerts:extra",    // a subscription ARN
           "arn:aws:sqs:eu-west-1:123456789012:alerts",          // another service
           "urn:aws:sns:eu-west-1:123456789012:alerts",          // not an ARN
           "arn:aws:sns::123456789012:alerts",                   // no region
           "arn:aws:sns:eu-west-1:123456789012:",                // empty name
           "arn::sns:eu-west-1:123456789012:alerts",             // no partition
           "arn:aws.example:sns:eu-west-1:123456789012:alerts",  // not a partition
           "arn:aws:sns:eu-west-1::alerts",                      // no account
           // The region becomes part of the host name: nothing but a region name may pass.
           "arn:aws:sns:evil.example#:123456789012:alerts",
           "arn:aws:sns:eu-west-1/x:123456789012:alerts",
           "arn:aws:sns:EU-WEST-1:123456789012:alerts",
           "arn:aws:sns:-eu-west-1:123456789012:alerts",
       }) {
    auto endpoint = Resolve(env, arn);
    ASSERT_FALSE(endpoint) << arn << " -> " << endpoint->url;
    EXPECT_EQ(
        endpoint.error().message,
        "'" + std::string(arn) + "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
  }
}

TEST(SnsTopicEndpoint, AMalformedArnIsRefusedEvenWithAConfiguredUrl) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:5000");
  auto endpoint = Resolve(env, "arn:aws:sns:eu-west-1:alerts");
  ASSERT_FALSE(endpoint);
  EXPECT_THAT(endpoint.error().message, HasSubstr("'arn:aws:sns:eu-west-1:alerts'"));
}

TEST(BillingEndpoints, AreUsEast1WhateverTheRegion) {
  aws::MapEnvironment env;
  env.set("AWS_REGION", "eu-west-1");
  const aws::SharedConfig config;
  auto cloudwatch = CloudWatchBillingEndpoint(env, config, nullptr);
  ASSERT_TRUE(cloudwatch);
  EXPECT_EQ(cloudwatch->url, "https://monitoring.us-east-1.amazonaws.com/");
  EXPECT_EQ(cloudwatch->signing_region, "us-east-1");
  EXPECT_EQ(cloudwatch->signing_service, "monitoring");
  auto sns = SnsBillingEndpoint(env, config, nullptr);
  ASSERT_TRUE(sns);
  EXPECT_EQ(sns->url, "https://sns.us-east-1.amazonaws.com/");
  EXPECT_EQ(sns->signing_region, "us-east-1");

  env.set("AWS_ENDPOINT_URL_SNS", "http://127.0.0.1:5000");
  sns = SnsBillingEndpoint(env, config, nullptr);
  ASSERT_TRUE(sns);
  EXPECT_EQ(sns->url, "http://127.0.0.1:5000");
  EXPECT_EQ(sns->signing_region, "us-east-1");
}

}  // namespace
}  // namespace costwatch::alarms::cloudwatch
