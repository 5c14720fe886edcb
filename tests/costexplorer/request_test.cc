#include "costexplorer/request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "util/dates.h"

namespace costwatch::ce {
namespace {

using ::testing::HasSubstr;

const std::chrono::sys_days kToday = *ParseDate("2023-02-10");

CostAndUsageQuery Query() {
  CostAndUsageQuery query;
  query.start = "2023-01-27";
  query.end = "2023-01-28";
  return query;
}

std::string ErrorOf(const CostAndUsageQuery& query) {
  auto ok = Validate(query, kToday);
  return ok ? "" : ok.error().message;
}

TEST(Validate, AcceptsTheDefaultShape) {
  EXPECT_EQ(ErrorOf(Query()), "");
}

TEST(Validate, RefusesAnEndBeforeTheStart) {
  auto query = Query();
  query.end = "2023-01-20";
  EXPECT_THAT(ErrorOf(query), HasSubstr("--end 2023-01-20 must be after --start 2023-01-27"));
  query.end = query.start;
  EXPECT_THAT(ErrorOf(query), HasSubstr("must be after"));
}

TEST(Validate, RefusesMalformedDates) {
  auto query = Query();
  query.start = "27/01/2023";
  EXPECT_THAT(ErrorOf(query), HasSubstr("--start \"27/01/2023\" is not a date"));
  query = Query();
  query.end = "2023-02-30";
  EXPECT_THAT(ErrorOf(query), HasSubstr("--end"));
}

TEST(Validate, HourlyReachesBackFourteenDaysOnly) {
  auto query = Query();
  query.granularity = Granularity::kHourly;
  query.start = "2023-01-26T23:00:00Z";
  query.end = "2023-01-27T05:00:00Z";
  EXPECT_THAT(ErrorOf(query), HasSubstr("HOURLY data covers only the last 14 days; --start "
                                        "2023-01-26T23:00:00Z is earlier than 2023-01-27"));
  query.start = "2023-01-27T00:00:00Z";
  EXPECT_EQ(ErrorOf(query), "");
}

TEST(Validate, HourlyAcceptsHoursOtherGranularitiesDoNot) {
  auto query = Query();
  query.start = "2023-02-01T05:00:00Z";
  EXPECT_THAT(ErrorOf(query), HasSubstr("YYYY-MM-DD"));
  query.granularity = Granularity::kHourly;
  query.end = "2023-02-01T06:00:00Z";
  EXPECT_EQ(ErrorOf(query), "");
}

TEST(Validate, RefusesUnknownMetricsWithASuggestion) {
  auto query = Query();
  query.metrics = {"AmortizedCost", "UnblendedCosts"};
  EXPECT_THAT(ErrorOf(query),
              HasSubstr("unknown metric \"UnblendedCosts\" (did you mean UnblendedCost?)"));
  query.metrics = {};
  EXPECT_THAT(ErrorOf(query), HasSubstr("at least one metric"));
}

TEST(Validate, RefusesMoreThanTwoGroupBys) {
  auto query = Query();
  query.group_by = {{"DIMENSION", "SERVICE"}, {"DIMENSION", "LINKED_ACCOUNT"}, {"TAG", "team"}};
  EXPECT_THAT(ErrorOf(query), HasSubstr("at most two keys; --group-by has 3"));
  query.group_by = {{"TAG", "team"}, {"TAG", "team"}};
  EXPECT_THAT(ErrorOf(query), HasSubstr("twice"));
}

TEST(Validate, ChecksTheFilterExpression) {
  auto query = Query();
  query.filter_json = R"({"Dimensions":{"Key":"SERVICE","Values":["AWS Lambda"]}})";
  EXPECT_EQ(ErrorOf(query), "");
  query.filter_json =
      R"({"And":[{"Dimensions":{"Key":"SERVICE","Values":["x"]}},{"Not":{"Tags":{"Key":"team","Values":["web"]}}}]})";
  EXPECT_EQ(ErrorOf(query), "");
  query.filter_json = R"({"Dimension":{"Key":"SERVICE"}})";
  EXPECT_THAT(ErrorOf(query),
              HasSubstr("unknown key \"Dimension\" in Filter (did you mean Dimensions?)"));
  query.filter_json = R"({"And":[{"Tags":{}}]})";
  EXPECT_THAT(ErrorOf(query), HasSubstr("Filter.And must be an array of at least two"));
  query.filter_json = R"({"Dimensions":{"Key":"SERVICE"})";
  EXPECT_THAT(ErrorOf(query), HasSubstr("--filter is not valid JSON"));
  query.filter_json = R"([])";
  EXPECT_THAT(ErrorOf(query), HasSubstr("must be a JSON object"));
}

TEST(UseHoursIfHourly, TurnsDatesIntoMidnightsForHourlyQueriesOnly) {
  auto query = Query();
  UseHoursIfHourly(query);
  EXPECT_EQ(query.start, "2023-01-27");
  query.granularity = Granularity::kHourly;
  query.end = "2023-01-27T05:00:00Z";
  UseHoursIfHourly(query);
  EXPECT_EQ(query.start, "2023-01-27T00:00:00Z");
  EXPECT_EQ(query.end, "2023-01-27T05:00:00Z");
}

TEST(ParseGroupBy, ReadsTheShortAndLongForms) {
  EXPECT_EQ(*ParseGroupBy("SERVICE"), (GroupBy{"DIMENSION", "SERVICE"}));
  EXPECT_EQ(*ParseGroupBy("linked_account"), (GroupBy{"DIMENSION", "LINKED_ACCOUNT"}));
  EXPECT_EQ(*ParseGroupBy("DIMENSION:REGION"), (GroupBy{"DIMENSION", "REGION"}));
  EXPECT_EQ(*ParseGroupBy("tag:Team Name"), (GroupBy{"TAG", "Team Name"}));
  EXPECT_EQ(*ParseGroupBy("COST_CATEGORY:Teams"), (GroupBy{"COST_CATEGORY", "Teams"}));
}

TEST(ParseGroupBy, RefusesUnknownDimensionsWithASuggestion) {
  auto group = ParseGroupBy("SERVCE");
  ASSERT_FALSE(group);
  EXPECT_THAT(group.error().message, HasSubstr("(did you mean SERVICE?)"));
  EXPECT_FALSE(ParseGroupBy("LABEL:x"));
  EXPECT_FALSE(ParseGroupBy("TAG:"));
}

TEST(ToRequestJson, WritesEveryFieldAsTheApiNamesIt) {
  auto query = Query();
  query.metrics = {"AmortizedCost", "UnblendedCost"};
  query.group_by = {{"DIMENSION", "SERVICE"}, {"TAG", "te\"am"}};
  query.filter_json = R"({"Dimensions":{"Key":"REGION","Values":["eu-west-1"]}})";
  const std::string json = ToRequestJson(query, "token/1");

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  EXPECT_EQ(root["TimePeriod"]["Start"].get_string().value(), "2023-01-27");
  EXPECT_EQ(root["TimePeriod"]["End"].get_string().value(), "2023-01-28");
  EXPECT_EQ(root["Granularity"].get_string().value(), "DAILY");
  EXPECT_EQ(root["Metrics"].at(1).get_string().value(), "UnblendedCost");
  EXPECT_EQ(root["GroupBy"].at(1)["Type"].get_string().value(), "TAG");
  EXPECT_EQ(root["GroupBy"].at(1)["Key"].get_string().value(), "te\"am");
  EXPECT_EQ(root["Filter"]["Dimensions"]["Key"].get_string().value(), "REGION");
  EXPECT_EQ(root["NextPageToken"].get_string().value(), "token/1");
}

TEST(ToRequestJson, LeavesOutWhatIsNotSet) {
  auto query = Query();
  query.group_by.clear();
  const std::string json = ToRequestJson(query);
  EXPECT_EQ(json.find("GroupBy"), std::string::npos);
  EXPECT_EQ(json.find("Filter"), std::string::npos);
  EXPECT_EQ(json.find("NextPageToken"), std::string::npos);
}

}  // namespace
}  // namespace costwatch::ce
