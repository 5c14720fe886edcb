#include "costexplorer/cost_and_usage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace costwatch::ce {
namespace {

using ::testing::HasSubstr;

struct Row {
  std::string start;
  bool estimated;
  std::vector<std::string> keys;
  std::vector<std::string> metrics;  // "Name=Amount Unit"
};

struct Read {
  Result<CostAndUsagePage> page;
  std::vector<Row> rows;
};

Read ReadJson(std::string_view json) {
  CostAndUsageReader reader;
  std::vector<Row> rows;
  auto page = reader.read(json, [&](const CostAndUsagePage&, const CostRow& row) {
    Row copy{std::string(row.start), row.estimated, {}, {}};
    for (auto key : row.keys) copy.keys.emplace_back(key);
    for (const auto& m : row.metrics) {
      copy.metrics.push_back(std::string(m.name) + "=" + std::string(m.amount) + " " +
                             std::string(m.unit));
    }
    rows.push_back(std::move(copy));
  });
  return {std::move(page), std::move(rows)};
}

constexpr std::string_view kGrouped = R"({
  "GroupDefinitions": [{"Type": "DIMENSION", "Key": "SERVICE"}, {"Type": "DIMENSION", "Key": "LINKED_ACCOUNT"}],
  "ResultsByTime": [
    {"TimePeriod": {"Start": "2023-01-27", "End": "2023-01-28"}, "Total": {},
     "Groups": [
       {"Keys": ["Amazon Relational Database Service", "111122223333"],
        "Metrics": {"AmortizedCost": {"Amount": "0.2672917174", "Unit": "USD"},
                    "UnblendedCost": {"Amount": "-0.0000001", "Unit": "USD"}}},
       {"Keys": ["Tax", "111122223333"], "Metrics": {"AmortizedCost": {"Amount": "1.5E-7", "Unit": "USD"},
                                                     "UnblendedCost": {"Amount": "0", "Unit": "USD"}}}
     ], "Estimated": true},
    {"TimePeriod": {"Start": "2023-01-28", "End": "2023-01-29"}, "Total": {}, "Groups": [], "Estimated": false}
  ],
  "DimensionValueAttributes": [{"Value": "111122223333", "Attributes": {"description": "Production"}}],
  "NextPageToken": "next-1",
  "SomethingAwsAddsLater": {"x": [1, 2]},
  "ResponseMetadata": {"RequestId": "abc"}
})";

TEST(CostAndUsageReader, ReadsGroupedRowsExactly) {
  auto read = ReadJson(kGrouped);
  ASSERT_TRUE(read.page) << read.page.error().message;
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[0].start, "2023-01-27");
  EXPECT_TRUE(read.rows[0].estimated);
  EXPECT_EQ(read.rows[0].keys,
            (std::vector<std::string>{"Amazon Relational Database Service", "111122223333"}));
  EXPECT_EQ(read.rows[0].metrics, (std::vector<std::string>{"AmortizedCost=0.2672917174 USD",
                                                            "UnblendedCost=-0.0000001 USD"}));
  EXPECT_EQ(read.rows[1].metrics[0], "AmortizedCost=1.5E-7 USD");
}

TEST(CostAndUsageReader, ReadsPageMetadata) {
  auto read = ReadJson(kGrouped);
  ASSERT_TRUE(read.page);
  ASSERT_EQ(read.page->group_definitions.size(), 2u);
  EXPECT_EQ(read.page->group_definitions[1].key, "LINKED_ACCOUNT");
  EXPECT_EQ(read.page->account_names.at("111122223333"), "Production");
  EXPECT_EQ(read.page->next_page_token, "next-1");
}

TEST(CostAndUsageReader, UngroupedPeriodsYieldTheirTotal) {
  auto read = ReadJson(R"({"GroupDefinitions": [], "ResultsByTime": [
    {"TimePeriod": {"Start": "2023-01-01T05:00:00Z", "End": "2023-01-01T06:00:00Z"},
     "Total": {"UsageQuantity": {"Amount": "12", "Unit": "N/A"}}, "Groups": [], "Estimated": false},
    {"TimePeriod": {"Start": "2023-01-01T06:00:00Z", "End": "2023-01-01T07:00:00Z"},
     "Total": {}, "Groups": [], "Estimated": false}]})");
  ASSERT_TRUE(read.page) << read.page.error().message;
  ASSERT_EQ(read.rows.size(), 1u);
  EXPECT_TRUE(read.rows[0].keys.empty());
  EXPECT_EQ(read.rows[0].metrics[0], "UsageQuantity=12 N/A");
  EXPECT_TRUE(read.page->next_page_token.empty());
}

// Each bad answer must be refused with the place of the problem, and before any row is handed
// out, so that nothing half-converted reaches the output.
struct BadAnswer {
  std::string json;
  std::string message;
};

class CostAndUsageReaderRefuses : public ::testing::TestWithParam<BadAnswer> {};

TEST_P(CostAndUsageReaderRefuses, WithThePlaceAndNoRows) {
  auto read = ReadJson(GetParam().json);
  ASSERT_FALSE(read.page);
  EXPECT_THAT(read.page.error().message, HasSubstr(GetParam().message));
  EXPECT_TRUE(read.rows.empty());
}

const std::string kGoodGroup =
    R"({"Keys":["A"],"Metrics":{"AmortizedCost":{"Amount":"1","Unit":"USD"}}})";
const std::string kHead =
    R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],"ResultsByTime":[)";
const std::string kPeriod = R"({"TimePeriod":{"Start":"2023-01-01","End":"2023-01-02"},"Groups":[)";

INSTANTIATE_TEST_SUITE_P(
    BadAnswers, CostAndUsageReaderRefuses,
    ::testing::Values(
        BadAnswer{"", "not valid JSON"}, BadAnswer{"[]", "expected a JSON object"},
        BadAnswer{R"({"ResultsByTime": [)", "not valid JSON"},
        BadAnswer{kHead + kPeriod + kGoodGroup + "]}", "not valid JSON"},
        BadAnswer{"{}", "no ResultsByTime array"},
        BadAnswer{R"({"ResultsByTime": {}})", "no ResultsByTime array"},
        BadAnswer{kHead + R"({"TimePeriod":{"Start":"2023-01-01"},"Groups":[]}]})",
                  "ResultsByTime[0].TimePeriod: expected an object with Start and End"},
        BadAnswer{kHead + kPeriod + kGoodGroup + R"(,{"Keys":["B","C"],"Metrics":{}}]}]})",
                  "ResultsByTime[0].Groups[1].Keys: expected 1 keys"},
        BadAnswer{kHead + kPeriod + kGoodGroup + R"(,{"Keys":[7],"Metrics":{}}]}]})",
                  "Groups[1].Keys: expected an array of strings"},
        BadAnswer{
            kHead + kPeriod +
                R"({"Keys":["A"],"Metrics":{"AmortizedCost":{"Amount":1.5,"Unit":"USD"}}}]}]})",
            "Groups[0].Metrics.AmortizedCost: expected an object with Amount and Unit"},
        BadAnswer{
            kHead + kPeriod +
                R"({"Keys":["A"],"Metrics":{"AmortizedCost":{"Amount":"1.5.2","Unit":"USD"}}}]}]})",
            "Metrics.AmortizedCost.Amount: \"1.5.2\" is not a decimal number"},
        BadAnswer{kHead + kPeriod + kGoodGroup + R"(],"Estimated":"yes"}]})",
                  "ResultsByTime[0].Estimated: expected true or false"},
        BadAnswer{R"({"ResultsByTime":[)" + kPeriod + kGoodGroup + "]}]}",
                  "groups in an answer without GroupDefinitions"},
        BadAnswer{R"({"GroupDefinitions":{},"ResultsByTime":[]})",
                  "GroupDefinitions: expected an array"},
        BadAnswer{"{\"ResultsByTime\":[],\"x\":\"\xff\"}", "not valid JSON"}));

TEST(CostAndUsageReader, ReadFileNamesTheFile) {
  CostAndUsageReader reader;
  auto missing = reader.read_file("/nonexistent/answer.json", [](auto&, auto&) {});
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("/nonexistent/answer.json: No such file"));

  const std::string path = ::testing::TempDir() + "/bad-answer.json";
  std::ofstream(path) << "{\"ResultsByTime\": [";
  auto bad = reader.read_file(path, [](auto&, auto&) {});
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr(path + ": not valid JSON"));
}

TEST(CostAndUsageReader, IsReusableAcrossDocuments) {
  CostAndUsageReader reader;
  int rows = 0;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(reader.read(kGrouped, [&](auto&, auto&) { ++rows; }));
  }
  EXPECT_EQ(rows, 6);
}

}  // namespace
}  // namespace costwatch::ce
