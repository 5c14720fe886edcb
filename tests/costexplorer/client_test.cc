// CostExplorerClient::forecast() over scripted HTTP: what goes out, what comes back, and how
// DataUnavailableException is told apart from failures.
#include "costexplorer/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "scripted_http.h"

namespace costwatch::ce {
namespace {

using ::testing::HasSubstr;

class StaticCredentials final : public aws::CredentialsProvider {
 public:
  Result<std::optional<aws::Credentials>> resolve() override {
    return std::optional<aws::Credentials>(aws::Credentials{
        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "test"});
  }
  [[nodiscard]] std::string name() const override { return "test"; }
};

std::string StandInReply() {
  std::ifstream in(
      std::string(COSTWATCH_TEST_DATA_DIR) + "/costexplorer/forecast-standin-monthly.json",
      std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ForecastClientTest : public ::testing::Test {
 protected:
  ForecastClientTest()
      : service_(
            http_, credentials_,
            aws::ServiceEndpoint{"https://ce.us-east-1.amazonaws.com", "us-east-1", "ce"},
            "AWSInsightsIndexService", aws::Backoff(aws::RetryOptions{}, [] { return 0.0; }),
            [] { return std::chrono::sys_days{std::chrono::year{2024} / 3 / 2}; },
            [](std::chrono::milliseconds) {}),
        client_(service_) {}

  static CostForecastQuery Query() {
    CostForecastQuery query;
    query.start = "2024-03-02";
    query.end = "2024-07-01";
    query.metric = ForecastMetric::kAmortizedCost;
    query.prediction_interval_level = 90;
    return query;
  }

  aws::testing::ScriptedHttp http_;
  StaticCredentials credentials_;
  aws::JsonServiceClient service_;
  CostExplorerClient client_;
};

TEST_F(ForecastClientTest, SendsGetCostForecastAndReadsTheAnswer) {
  http_.reply(200, StandInReply());
  auto answer = client_.forecast(Query());
  ASSERT_TRUE(answer) << answer.error().message;
  const auto* forecast = std::get_if<CostForecast>(&*answer);
  ASSERT_NE(forecast, nullptr);
  EXPECT_EQ(forecast->total, "1327925.9561813576");
  EXPECT_EQ(forecast->unit, "USD");
  ASSERT_EQ(forecast->periods.size(), 4u);
  EXPECT_EQ(forecast->periods[2].mean, "340212.435054728");

  ASSERT_EQ(http_.sent.size(), 1u);
  const auto& request = http_.sent[0];
  EXPECT_EQ(request.header("X-Amz-Target"), "AWSInsightsIndexService.GetCostForecast");
  EXPECT_EQ(request.header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(request.body, ToRequestJson(Query()));
  EXPECT_THAT(std::string(*request.header("Authorization")),
              HasSubstr("Credential=AKIDEXAMPLE/20240302/us-east-1/ce/aws4_request"));
  // A paid request, counted like GetCostAndUsage's.
  EXPECT_EQ(service_.stats().requests_sent, 1);
}

TEST_F(ForecastClientTest, DataUnavailableIsAnAnswerNotAnError) {
  // As the stand-in (and AWS) answer it.
  http_.reply(400,
              R"({"__type":"DataUnavailableException",)"
              R"("Message":"Insufficient amount of historical data to generate forecast."})",
              {{"x-amzn-ErrorType", "DataUnavailableException:http://internal.amazon.com/"}});
  auto answer = client_.forecast(Query());
  ASSERT_TRUE(answer) << answer.error().message;
  const auto* unavailable = std::get_if<ForecastUnavailable>(&*answer);
  ASSERT_NE(unavailable, nullptr);
  EXPECT_EQ(unavailable->message, "Insufficient amount of historical data to generate forecast.");
  EXPECT_EQ(http_.sent.size(), 1u);  // not retried
  EXPECT_EQ(service_.stats().requests_sent, 1);
}

TEST_F(ForecastClientTest, OtherRefusalsAreErrors) {
  http_.reply(400, R"({"__type":"ValidationException","Message":"Start date must be on or after )"
                   R"(the current date"})");
  auto answer = client_.forecast(Query());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().message,
            "GetCostForecast failed: ValidationException: Start date must be on or after the "
            "current date");
}

TEST_F(ForecastClientTest, ThrottlingIsRetriedThenAnswered) {
  http_.reply(400, R"({"__type":"LimitExceededException","message":"Rate exceeded"})");
  http_.reply(200, StandInReply());
  auto answer = client_.forecast(Query());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_TRUE(std::holds_alternative<CostForecast>(*answer));
  EXPECT_EQ(service_.stats().requests_sent, 2);
}

TEST_F(ForecastClientTest, AnUnreadableReplyIsAnErrorThatSaysWhere) {
  http_.reply(200, R"({"Total":{"Amount":"12.5 USD","Unit":"USD"}})");
  auto answer = client_.forecast(Query());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().message,
            "GetCostForecast answered with something costwatch cannot read: Total.Amount: "
            "\"12.5 USD\" is not a decimal number");
}

}  // namespace
}  // namespace costwatch::ce
