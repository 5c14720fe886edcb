#include "alarms/forecasts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "scripted_http.h"

namespace costwatch::alarms {
namespace {

using ::testing::HasSubstr;
using TimePoint = store::TimePoint;

class StaticCredentials final : public aws::CredentialsProvider {
 public:
  Result<std::optional<aws::Credentials>> resolve() override {
    return std::optional<aws::Credentials>(aws::Credentials{
        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "test"});
  }
  [[nodiscard]] std::string name() const override { return "test"; }
};

Day On(int y, unsigned m, unsigned d) {
  return Day(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

constexpr const char* kAnswer =
    R"({"Total":{"Amount":"149.99","Unit":"USD"},"ForecastResultsByTime":[{"TimePeriod":)"
    R"({"Start":"2026-11-21","End":"2026-12-01"},"MeanValue":"149.99"}]})";

class ForecastsTest : public ::testing::Test {
 protected:
  ForecastsTest()
      : service_(
            http_, credentials_,
            aws::ServiceEndpoint{"https://ce.us-east-1.amazonaws.com", "us-east-1", "ce"},
            "AWSInsightsIndexService", aws::Backoff(aws::RetryOptions{}, [] { return 0.0; }),
            [this] { return now_; }, [](std::chrono::milliseconds) {}) {}

  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-fc-XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto opened = store::StateStore::Open(dir_ / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
    forecasts_.emplace(*store_, [this] { return now_; });
    forecasts_->add_source("aws", ce::CostExplorerClient(service_),
                           R"({"Dimensions":{"Key":"REGION","Values":["eu-west-1"]}})");
    rule_.name = "budget";
    rule_.source = "aws";
    rule_.metric = "UnblendedCost";
    rule_.scope.service = "Amazon EC2";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TimePoint now_ = On(2026, 11, 21) + std::chrono::hours(3);
  aws::testing::ScriptedHttp http_;
  StaticCredentials credentials_;
  aws::JsonServiceClient service_;
  std::filesystem::path dir_;
  std::optional<store::StateStore> store_;
  std::optional<CostExplorerForecasts> forecasts_;
  RuleConfig rule_;
};

TEST_F(ForecastsTest, BuysAForecastOncePerDayAndCountsItAsPaid) {
  http_.reply(200, kAnswer);
  const Period period{On(2026, 11, 21), On(2026, 12, 1)};
  auto first = forecasts_->forecast(rule_, period);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, *Decimal::Parse("149.99"));
  ASSERT_EQ(http_.sent.size(), 1U);
  // The request asks for the rule's metric over its scope within the source's filter.
  EXPECT_THAT(http_.sent[0].body, HasSubstr(R"("Metric":"UNBLENDED_COST")"));
  EXPECT_THAT(
      http_.sent[0].body,
      HasSubstr(R"("Filter":{"And":[{"Dimensions":{"Key":"REGION","Values":["eu-west-1"]}},)"
                R"({"Dimensions":{"Key":"SERVICE","Values":["Amazon EC2"]}}]})"));

  now_ += std::chrono::hours(6);
  auto again = forecasts_->forecast(rule_, period);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(**again, *Decimal::Parse("149.99"));
  EXPECT_EQ(http_.sent.size(), 1U);  // same day: the stored answer

  auto counts = store_->request_counts(now_);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->today, 1);

  now_ += std::chrono::hours(24);
  http_.reply(200, kAnswer);
  ASSERT_TRUE(forecasts_->forecast(rule_, {On(2026, 11, 22), On(2026, 12, 1)}).ok());
  EXPECT_EQ(http_.sent.size(), 2U);  // a new day buys a new forecast
}

TEST_F(ForecastsTest, TooLittleHistoryIsRememberedForTheDay) {
  http_.reply(
      400,
      R"({"__type":"DataUnavailableException","Message":"Insufficient amount of historical data"})",
      {{"x-amzn-ErrorType", "DataUnavailableException"}});
  const Period period{On(2026, 11, 21), On(2026, 12, 1)};
  auto first = forecasts_->forecast(rule_, period);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->has_value());
  auto again = forecasts_->forecast(rule_, period);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  EXPECT_EQ(http_.sent.size(), 1U);
}

TEST_F(ForecastsTest, AFailedRequestIsAnErrorAndNotCached) {
  http_.reply(400, R"({"__type":"ValidationException","Message":"bad filter"})",
              {{"x-amzn-ErrorType", "ValidationException"}});
  const Period period{On(2026, 11, 21), On(2026, 12, 1)};
  auto failed = forecasts_->forecast(rule_, period);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.error().message, HasSubstr("bad filter"));
  http_.reply(200, kAnswer);
  auto retried = forecasts_->forecast(rule_, period);
  ASSERT_TRUE(retried.ok()) << retried.error().message;
  EXPECT_TRUE(retried->has_value());
}

TEST(ForecastFilterTest, CombinesTheSourceFilterWithTheRuleScope) {
  RuleScope scope;
  EXPECT_EQ(ForecastFilter("", scope), "");
  EXPECT_EQ(ForecastFilter(R"({"Not":{}})", scope), R"({"Not":{}})");
  scope.account = "012345678901";
  EXPECT_EQ(ForecastFilter("", scope),
            R"({"Dimensions":{"Key":"LINKED_ACCOUNT","Values":["012345678901"]}})");
  scope.has_tag = true;
  scope.tag_key = "team";
  EXPECT_EQ(ForecastFilter("", scope),
            R"({"And":[{"Dimensions":{"Key":"LINKED_ACCOUNT","Values":["012345678901"]}},)"
            R"({"Tags":{"Key":"team","MatchOptions":["ABSENT"]}}]})");
}

}  // namespace
}  // namespace costwatch::alarms
