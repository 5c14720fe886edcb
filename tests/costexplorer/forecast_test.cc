#include "costexplorer/forecast.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "util/dates.h"

namespace costwatch::ce {
namespace {

using ::testing::HasSubstr;

const std::chrono::sys_days kToday = *ParseDate("2024-03-02");

CostForecastQuery Query() {
  CostForecastQuery query;
  query.start = "2024-03-02";
  query.end = "2024-04-01";
  return query;
}

std::string ErrorOf(const CostForecastQuery& query) {
  auto ok = Validate(query, kToday);
  return ok ? "" : ok.error().message;
}

std::string ReadTestFile(const std::string& relative) {
  std::ifstream in(std::string(COSTWATCH_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --- metric names ---------------------------------------------------------------------------

TEST(ForecastMetric, MapsEveryCostAndUsageCostMetric) {
  const std::vector<std::pair<std::string_view, std::string_view>> pairs = {
      {"AmortizedCost", "AMORTIZED_COST"},
      {"BlendedCost", "BLENDED_COST"},
      {"NetAmortizedCost", "NET_AMORTIZED_COST"},
      {"NetUnblendedCost", "NET_UNBLENDED_COST"},
      {"UnblendedCost", "UNBLENDED_COST"}};
  for (const auto& [usage_name, forecast_name] : pairs) {
    auto metric = ForecastMetricFor(usage_name);
    ASSERT_TRUE(metric) << metric.error().message;
    EXPECT_EQ(ToString(*metric), forecast_name);
    EXPECT_EQ(CostAndUsageMetricOf(*metric), usage_name);
    auto parsed = ParseForecastMetric(forecast_name);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, *metric);
  }
}

TEST(ForecastMetric, RefusesUsageMetricsAndTheOtherSpelling) {
  auto usage = ForecastMetricFor("UsageQuantity");
  ASSERT_FALSE(usage);
  EXPECT_THAT(usage.error().message, HasSubstr("forecasts only AmortizedCost"));
  EXPECT_THAT(usage.error().message, HasSubstr("not \"UsageQuantity\""));
  EXPECT_FALSE(ForecastMetricFor("AMORTIZED_COST"));
  EXPECT_FALSE(ParseForecastMetric("AmortizedCost"));
  EXPECT_FALSE(ParseForecastMetric("USAGE_QUANTITY"));
}

// --- validation -----------------------------------------------------------------------------

TEST(ValidateForecast, AcceptsTodayToTheEndOfTheMonth) {
  EXPECT_EQ(ErrorOf(Query()), "");
}

TEST(ValidateForecast, RefusesAStartInThePast) {
  auto query = Query();
  query.start = "2024-03-01";
  EXPECT_EQ(ErrorOf(query),
            "forecast start 2024-03-01 is in the past: Cost Explorer forecasts from today "
            "(2024-03-02, UTC) on");
}

TEST(ValidateForecast, RefusesBadDatesAndEmptyPeriods) {
  auto query = Query();
  query.end = "2024-03-02";
  EXPECT_THAT(ErrorOf(query), HasSubstr("forecast end 2024-03-02 must be after its start"));
  query = Query();
  query.start = "2024-03-02T00:00:00Z";
  EXPECT_THAT(ErrorOf(query), HasSubstr("is not a date in YYYY-MM-DD form"));
  query = Query();
  query.end = "2024-02-30";
  EXPECT_THAT(ErrorOf(query), HasSubstr("forecast end \"2024-02-30\""));
}

TEST(ValidateForecast, KnowsTheLongestForecasts) {
  auto query = Query();
  query.end = "2025-03-02";  // 365 days: a year ahead is fine
  EXPECT_EQ(ErrorOf(query), "");
  query.end = "2025-03-04";
  EXPECT_THAT(ErrorOf(query), HasSubstr("a MONTHLY forecast covers at most 366 days"));
  query.granularity = Granularity::kDaily;
  query.end = "2024-06-01";  // to the end of the quarter
  EXPECT_EQ(ErrorOf(query), "");
  query.end = "2024-06-03";
  EXPECT_THAT(ErrorOf(query), HasSubstr("a DAILY forecast covers at most 92 days"));
  query.granularity = Granularity::kHourly;
  EXPECT_THAT(ErrorOf(query), HasSubstr("not HOURLY"));
}

TEST(ValidateForecast, ChecksTheLevelAndTheFilter) {
  auto query = Query();
  query.prediction_interval_level = 50;
  EXPECT_THAT(ErrorOf(query), HasSubstr("must be 51 to 99 (percent), not 50"));
  query.prediction_interval_level = 99;
  EXPECT_EQ(ErrorOf(query), "");
  query.filter_json = R"({"Dimension":{"Key":"SERVICE","Values":["x"]}})";
  EXPECT_THAT(ErrorOf(query), HasSubstr("unknown key \"Dimension\""));
}

// --- the request ----------------------------------------------------------------------------

TEST(ForecastRequest, WritesTheMembersInTheModelsOrder) {
  auto query = Query();
  query.metric = ForecastMetric::kNetUnblendedCost;
  EXPECT_EQ(ToRequestJson(query), R"({"TimePeriod":{"Start":"2024-03-02","End":"2024-04-01"},)"
                                  R"("Metric":"NET_UNBLENDED_COST","Granularity":"MONTHLY"})");
  query.granularity = Granularity::kDaily;
  query.filter_json = R"({"Dimensions":{"Key":"SERVICE","Values":["AWS Lambda"]}})";
  query.prediction_interval_level = 95;
  EXPECT_EQ(ToRequestJson(query),
            R"({"TimePeriod":{"Start":"2024-03-02","End":"2024-04-01"},)"
            R"("Metric":"NET_UNBLENDED_COST","Granularity":"DAILY",)"
            R"("Filter":{"Dimensions":{"Key":"SERVICE","Values":["AWS Lambda"]}},)"
            R"("PredictionIntervalLevel":95})");
}

// The body botocore serialised for the same parameters (tests/data/sigv4/generated-botocore,
// case ce-GetCostForecast-json11) says the same in JSON, member for member and in order.
TEST(ForecastRequest, SaysWhatBotocoreSays) {
  simdjson::dom::parser parser;
  simdjson::dom::array cases;
  ASSERT_EQ(parser
                .load(std::string(COSTWATCH_TEST_DATA_DIR) +
                      "/sigv4/generated-botocore/aws-api-requests.json")
                .get(cases),
            simdjson::SUCCESS);
  std::string botocore_body;
  for (simdjson::dom::element c : cases) {
    std::string_view name;
    if (c["name"].get_string().get(name) == simdjson::SUCCESS &&
        name == "ce-GetCostForecast-json11") {
      std::string_view body;
      ASSERT_EQ(c["request"]["body"].get_string().get(body), simdjson::SUCCESS);
      botocore_body = std::string(body);
    }
  }
  ASSERT_FALSE(botocore_body.empty()) << "no ce-GetCostForecast-json11 case";

  CostForecastQuery query;
  query.start = "2015-08-30";
  query.end = "2015-09-01";
  query.metric = ForecastMetric::kAmortizedCost;
  query.granularity = Granularity::kMonthly;
  query.prediction_interval_level = 80;
  simdjson::dom::parser other;
  simdjson::dom::element expected;
  ASSERT_EQ(other.parse(botocore_body).get(expected), simdjson::SUCCESS);
  EXPECT_EQ(ToRequestJson(query), simdjson::minify(expected));
}

// --- the reply ------------------------------------------------------------------------------

TEST(ParseCostForecast, ReadsTheStandInsAnswerAsTheAwsCliPrintedIt) {
  auto forecast = ParseCostForecast(ReadTestFile("costexplorer/forecast-standin-monthly.json"));
  ASSERT_TRUE(forecast) << forecast.error().message;
  EXPECT_EQ(forecast->total, "1327925.9561813576");
  EXPECT_EQ(forecast->unit, "USD");
  ASSERT_EQ(forecast->periods.size(), 4u);
  const auto& march = forecast->periods[0];
  EXPECT_EQ(march.start, "2024-03-02");
  EXPECT_EQ(march.end, "2024-04-01");
  EXPECT_EQ(march.mean, "329237.8403755432");
  EXPECT_EQ(march.lower_bound, "255159.326291046");
  EXPECT_EQ(march.upper_bound, "403316.3544600404");
  EXPECT_EQ(forecast->periods[3].end, "2024-07-01");
}

TEST(ParseCostForecast, KeepsAmountsExactlyAsSent) {
  auto forecast = ParseCostForecast(
      R"({"Total":{"Amount":"12345678901234567.0123456789","Unit":"USD"},"Extra":1,)"
      R"("ForecastResultsByTime":[{"TimePeriod":{"Start":"2024-03-02","End":"2024-04-01"},)"
      R"("MeanValue":"-0.10","NewMember":"x"}]})");
  ASSERT_TRUE(forecast) << forecast.error().message;
  EXPECT_EQ(forecast->total, "12345678901234567.0123456789");
  ASSERT_EQ(forecast->periods.size(), 1u);
  EXPECT_EQ(forecast->periods[0].mean, "-0.10");
  EXPECT_EQ(forecast->periods[0].lower_bound, std::nullopt);
  EXPECT_EQ(forecast->periods[0].upper_bound, std::nullopt);
}

TEST(ParseCostForecast, AcceptsAnAnswerWithoutPeriods) {
  auto forecast = ParseCostForecast(R"({"Total":{"Amount":"0","Unit":"USD"}})");
  ASSERT_TRUE(forecast) << forecast.error().message;
  EXPECT_TRUE(forecast->periods.empty());
}

std::string ParseError(std::string_view json) {
  auto forecast = ParseCostForecast(json);
  return forecast ? "" : forecast.error().message;
}

TEST(ParseCostForecast, NamesWhatIsWrongAndWhere) {
  EXPECT_EQ(ParseError(R"({"ForecastResultsByTime":[]})"),
            "not a GetCostForecast answer: no Total");
  EXPECT_EQ(ParseError(R"({"Total":"5"})"), "Total: expected an object");
  EXPECT_EQ(ParseError(R"({"Total":{"Unit":"USD"}})"), "Total.Amount: missing");
  EXPECT_EQ(ParseError(R"({"Total":{"Amount":12.5,"Unit":"USD"}})"),
            "Total.Amount: expected a string");
  EXPECT_EQ(ParseError(R"({"Total":{"Amount":"NaN","Unit":"USD"}})"),
            "Total.Amount: \"NaN\" is not a decimal number");
  EXPECT_EQ(ParseError(R"({"Total":{"Amount":"1"}})"), "Total.Unit: expected a string");
  const std::string total = R"({"Total":{"Amount":"1","Unit":"USD"},"ForecastResultsByTime":)";
  const std::string period = R"({"TimePeriod":{"Start":"2024-03-02","End":"2024-03-03"},)";
  EXPECT_EQ(ParseError(total + "{}}"), "ForecastResultsByTime: expected an array");
  EXPECT_EQ(ParseError(total + R"([{"MeanValue":"1"}]})"),
            "ForecastResultsByTime[0].TimePeriod: expected an object with Start and End strings");
  EXPECT_EQ(ParseError(total + "[" + period + R"("MeanValue":"1"},)" + period + "\"x\":1}]}"),
            "ForecastResultsByTime[1].MeanValue: missing");
  EXPECT_EQ(ParseError(total + "[" + period +
                       R"("MeanValue":"1","PredictionIntervalUpperBound":"1,5"}]})"),
            "ForecastResultsByTime[0].PredictionIntervalUpperBound: \"1,5\" is not a decimal "
            "number");
  EXPECT_THAT(ParseError("<html>"), HasSubstr("not valid JSON"));
  EXPECT_EQ(ParseError("[]"), "not a GetCostForecast answer: expected a JSON object");
}

}  // namespace
}  // namespace costwatch::ce
