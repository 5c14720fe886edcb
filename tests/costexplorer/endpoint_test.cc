#include "costexplorer/endpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace costwatch::ce {
namespace {

EndpointSettings Settings(std::optional<std::string> url, std::optional<std::string> region = {}) {
  EndpointSettings settings;
  settings.endpoint_url = std::move(url);
  settings.region = std::move(region);
  return settings;
}

TEST(ResolveEndpoint, DefaultsToTheGlobalEndpointInUsEast1) {
  aws::MapEnvironment env;
  auto endpoint = ResolveEndpoint(env, Settings(std::nullopt, "eu-central-1"));
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "https://ce.us-east-1.amazonaws.com");
  EXPECT_EQ(endpoint->signing_region, "us-east-1");
  EXPECT_EQ(endpoint->signing_service, "ce");
}

TEST(ResolveEndpoint, ChinaRegionsUseTheirPartition) {
  aws::MapEnvironment env;
  auto endpoint = ResolveEndpoint(env, Settings(std::nullopt, "cn-north-1"));
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->url, "https://ce.cn-northwest-1.amazonaws.com.cn");
  EXPECT_EQ(endpoint->signing_region, "cn-northwest-1");
}

TEST(ResolveEndpoint, OverridesFollowTheSdkOrder) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:3");
  env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "http://127.0.0.1:2");
  EndpointSettings settings = Settings("http://127.0.0.1:1");
  settings.profile_endpoint_url = "http://127.0.0.1:4";
  EXPECT_EQ(ResolveEndpoint(env, settings)->url, "http://127.0.0.1:1");
  settings.endpoint_url.reset();
  EXPECT_EQ(ResolveEndpoint(env, settings)->url, "http://127.0.0.1:2");
  env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "");
  EXPECT_EQ(ResolveEndpoint(env, settings)->url, "http://127.0.0.1:3");
  env.set("AWS_ENDPOINT_URL", "");
  EXPECT_EQ(ResolveEndpoint(env, settings)->url, "http://127.0.0.1:4");
  // Signing stays on the partition's region whatever the URL.
  EXPECT_EQ(ResolveEndpoint(env, settings)->signing_region, "us-east-1");
}

TEST(ResolveEndpoint, IgnoreConfiguredEndpointsKeepsOnlyTheFlag) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:3");
  env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(ResolveEndpoint(env, {})->url, "https://ce.us-east-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(env, Settings("http://127.0.0.1:1"))->url, "http://127.0.0.1:1");
}

TEST(ResolveEndpoint, NamesTheSourceOfABadUrl) {
  aws::MapEnvironment env;
  env.set("AWS_ENDPOINT_URL_COST_EXPLORER", "localhost:4566");
  auto endpoint = ResolveEndpoint(env, {});
  ASSERT_FALSE(endpoint);
  EXPECT_THAT(
      endpoint.error().message,
      ::testing::StartsWith("AWS_ENDPOINT_URL_COST_EXPLORER: invalid URL \"localhost:4566\""));
}

}  // namespace
}  // namespace costwatch::ce
