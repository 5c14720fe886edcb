#include "aws/json_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scripted_http.h"

namespace costwatch::aws {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::ScriptedHttp;  // the real transport is covered by the integration tests

class StaticCredentials final : public CredentialsProvider {
 public:
  Result<std::optional<Credentials>> resolve() override {
    return std::optional<Credentials>(
        Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "test"});
  }
  [[nodiscard]] std::string name() const override { return "test"; }
};

class JsonServiceClientTest : public ::testing::Test {
 protected:
  JsonServiceClient MakeClient(int max_attempts = 3) {
    RetryOptions options;
    options.max_attempts = max_attempts;
    return JsonServiceClient(
        http_, credentials_,
        ServiceEndpoint{"https://ce.us-east-1.amazonaws.com", "us-east-1", "ce"},
        "AWSInsightsIndexService", Backoff(options, [] { return 0.5; }),
        [] {
          return std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + std::chrono::hours{12};
        },
        [this](std::chrono::milliseconds d) { sleeps_.push_back(d); });
  }

  ScriptedHttp http_;
  StaticCredentials credentials_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

const http::Header kThrottleType{"x-amzn-ErrorType",
                                 "LimitExceededException:http://internal.amazon.com/"};

TEST_F(JsonServiceClientTest, SendsASignedJson11Request) {
  http_.reply(200, R"({"ResultsByTime":[]})");
  auto client = MakeClient();
  auto body = client.call("GetCostAndUsage", R"({"x":1})");
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, R"({"ResultsByTime":[]})");
  ASSERT_EQ(http_.sent.size(), 1u);
  const auto& request = http_.sent[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, R"({"x":1})");
  EXPECT_EQ(request.header("X-Amz-Target"), "AWSInsightsIndexService.GetCostAndUsage");
  EXPECT_EQ(request.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(request.header("X-Amz-Date"), "20150830T120000Z");
  EXPECT_THAT(std::string(*request.header("Authorization")),
              HasSubstr("Credential=AKIDEXAMPLE/20150830/us-east-1/ce/aws4_request"));
  EXPECT_EQ(client.stats().requests_sent, 1);
}

TEST_F(JsonServiceClientTest, RetriesThrottlingWithGrowingBackoff) {
  http_.reply(400, R"({"__type":"LimitExceededException","message":"Rate exceeded"})",
              {kThrottleType});
  http_.reply(400,
              R"({"__type":"com.amazonaws.ce#LimitExceededException","Message":"Rate exceeded"})");
  http_.reply(200, "{}");
  auto client = MakeClient();
  ASSERT_TRUE(client.call("GetCostAndUsage", "{}"));
  EXPECT_EQ(http_.sent.size(), 3u);
  // Full jitter with the draw fixed at 0.5: half of 1 s, then half of 2 s.
  EXPECT_EQ(sleeps_, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(500),
                                                             std::chrono::milliseconds(1000)}));
  EXPECT_EQ(client.stats().retries, 2);
}

TEST_F(JsonServiceClientTest, RetriesServerErrorsAndTransportFailures) {
  http_.reply(503, "Service Unavailable");
  http_.fail("Connection reset by peer");
  http_.reply(200, "{}");
  auto client = MakeClient();
  EXPECT_TRUE(client.call("GetCostAndUsage", "{}"));
  EXPECT_EQ(http_.sent.size(), 3u);
}

TEST_F(JsonServiceClientTest, CountsEveryAttemptByOutcomeWhenGivenCounters) {
  http_.reply(400, R"({"__type":"LimitExceededException","message":"Rate exceeded"})",
              {kThrottleType});
  http_.reply(503, "Service Unavailable");
  http_.fail("Connection reset by peer");
  http_.reply(200, "{}");
  http_.reply(400, R"({"__type":"AccessDeniedException","Message":"no"})");
  RequestCounters counters;
  auto client = MakeClient(5);
  client.set_counters(&counters);
  EXPECT_TRUE(client.call("GetCostAndUsage", "{}"));
  EXPECT_FALSE(client.call("GetCostAndUsage", "{}"));
  EXPECT_EQ(counters.attempts(RequestOutcome::kThrottled), 1U);
  EXPECT_EQ(counters.attempts(RequestOutcome::kServerError), 1U);
  EXPECT_EQ(counters.attempts(RequestOutcome::kNetworkError), 1U);
  EXPECT_EQ(counters.attempts(RequestOutcome::kOk), 1U);
  EXPECT_EQ(counters.attempts(RequestOutcome::kClientError), 1U);
  EXPECT_EQ(counters.retries(), 3U);
  EXPECT_EQ(OutcomeName(RequestOutcome::kNetworkError), "network_error");
}

TEST_F(JsonServiceClientTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  for (int i = 0; i < 3; ++i) {
    http_.reply(400, R"({"__type":"LimitExceededException","message":"Rate exceeded"})");
  }
  auto client = MakeClient();
  auto body = client.call("GetCostAndUsage", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message,
            "GetCostAndUsage failed after 3 attempts: LimitExceededException: Rate exceeded");
  EXPECT_EQ(client.stats().requests_sent, 3);
}

TEST_F(JsonServiceClientTest, DoesNotRetryOtherErrors) {
  http_.reply(
      400,
      R"({"__type":"AccessDeniedException","Message":"User: arn:aws:iam::1:user/x is not\nauthorized to perform: ce:GetCostAndUsage"})");
  auto client = MakeClient();
  auto body = client.call("GetCostAndUsage", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message,
            "GetCostAndUsage failed: AccessDeniedException: User: arn:aws:iam::1:user/x is not "
            "authorized to perform: ce:GetCostAndUsage");
  EXPECT_EQ(http_.sent.size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(JsonServiceClientTest, HandsARefusalsCodeToTheCaller) {
  http_.reply(400, R"({"__type":"DataUnavailableException","Message":"Not enough data"})");
  auto client = MakeClient();
  ServiceError refused;
  auto body = client.call("GetCostForecast", "{}", &refused);
  ASSERT_FALSE(body);
  EXPECT_EQ(refused.code, "DataUnavailableException");
  EXPECT_EQ(refused.message, "Not enough data");
}

TEST_F(JsonServiceClientTest, LeavesRefusedEmptyWhenRetriesRunOut) {
  for (int i = 0; i < 3; ++i) {
    http_.reply(400, R"({"__type":"LimitExceededException","message":"Rate exceeded"})");
  }
  auto client = MakeClient();
  ServiceError refused;
  ASSERT_FALSE(client.call("GetCostForecast", "{}", &refused));
  EXPECT_EQ(refused.code, "");
}

TEST_F(JsonServiceClientTest, ReportsUnreadableErrorRepliesByStatus) {
  http_.reply(403, "<html>Forbidden</html>");
  auto client = MakeClient();
  auto body = client.call("GetCostAndUsage", "{}");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().message, "GetCostAndUsage failed: HTTP 403");
}

TEST_F(JsonServiceClientTest, NeverPutsTheSecretInAnError) {
  http_.fail("Could not resolve host");
  auto client = MakeClient(1);
  auto body = client.call("GetCostAndUsage", "{}");
  ASSERT_FALSE(body);
  EXPECT_THAT(body.error().message, HasSubstr("cannot reach https://ce.us-east-1.amazonaws.com"));
  EXPECT_THAT(body.error().message, HasSubstr("after 1 attempt:"));
  EXPECT_THAT(body.error().message, Not(HasSubstr("wJalrXUtnFEMI")));
}

TEST(ClassifyAwsError, FollowsTheStandardRetryMode) {
  EXPECT_EQ(ClassifyAwsError("ThrottlingException", 400), RetryReason::kThrottling);
  EXPECT_EQ(ClassifyAwsError("LimitExceededException", 400), RetryReason::kThrottling);
  EXPECT_EQ(ClassifyAwsError("", 429), RetryReason::kThrottling);
  EXPECT_EQ(ClassifyAwsError("", 502), RetryReason::kTransient);
  EXPECT_EQ(ClassifyAwsError("RequestTimeout", 400), RetryReason::kTransient);
  EXPECT_EQ(ClassifyAwsError("ValidationException", 400), RetryReason::kNone);
  EXPECT_EQ(ClassifyAwsError("", 501), RetryReason::kNone);
}

TEST(Backoff, IsCappedAndJittered) {
  RetryOptions options;
  options.max_backoff = std::chrono::milliseconds(20000);
  Backoff top(options, [] { return 0.999; });
  EXPECT_EQ(top.delay(1), std::chrono::milliseconds(999));
  EXPECT_EQ(top.delay(3), std::chrono::milliseconds(3996));
  EXPECT_EQ(top.delay(10), std::chrono::milliseconds(19980));
  Backoff bottom(options, [] { return 0.0; });
  EXPECT_EQ(bottom.delay(5), std::chrono::milliseconds(0));
}

TEST(ResolveRetryOptions, ReadsEnvironmentBeforeProfile) {
  MapEnvironment env;
  EXPECT_EQ(ResolveRetryOptions(env, nullptr)->max_attempts, 3);
  env.set("AWS_MAX_ATTEMPTS", "5");
  EXPECT_EQ(ResolveRetryOptions(env, nullptr)->max_attempts, 5);
  env.set("AWS_MAX_ATTEMPTS", "0");
  EXPECT_FALSE(ResolveRetryOptions(env, nullptr));
  env.set("AWS_MAX_ATTEMPTS", "3x");
  EXPECT_THAT(ResolveRetryOptions(env, nullptr).error().message, HasSubstr("\"3x\""));
  env.set("AWS_MAX_ATTEMPTS", "");
  env.set("AWS_RETRY_MODE", "adaptive");
  EXPECT_THAT(ResolveRetryOptions(env, nullptr).error().message, HasSubstr("not supported"));
}

}  // namespace
}  // namespace costwatch::aws
