// /api/report: the report module's JSON for the page's query, figures checked against the rows
// stored by the real StateStore, and 400s for what the config or the calendar cannot answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dashboard_test_support.h"

namespace costwatch::dashboard {
namespace {

using testing::At;
using testing::DashboardTest;
using testing::Text;

store::RowRecord Row(const std::string& day, const std::string& service,
                     const std::string& amount) {
  return {"DAILY",
          day,
          R"([["DIMENSION","SERVICE",")" + service + R"("]])",
          "id-" + day + "-" + service,
          R"({"data":{"date":")" + day + R"(","service":")" + service +
              R"(","estimated":false,"unblendedCost":{"amount":")" + amount +
              R"(","unit":"USD"}}})",
          false};
}

class ReportApiTest : public DashboardTest {
 protected:
  void SetUp() override {
    DashboardTest::SetUp();
    config::SourceConfig source;
    source.name = "aws";
    source.metrics = {"UnblendedCost"};
    context_.config.sources.push_back(source);
    // October 1-19 and November 1-19: 0.3 for EC2 and 0.1 for S3 each day, but EC2 cost
    // 10.0000000001 on November 5th.
    std::vector<store::RowRecord> rows;
    for (const std::string month : {"2026-10", "2026-11"}) {
      for (int day = 1; day <= 19; ++day) {
        const std::string date = month + (day < 10 ? "-0" : "-") + std::to_string(day);
        const bool bump = month == "2026-11" && day == 5;
        rows.push_back(Row(date, "EC2", bump ? "10.0000000001" : "0.3"));
        rows.push_back(Row(date, "S3", "0.1"));
      }
    }
    ASSERT_TRUE(Store()
                    .record_fetch("aws", "2026-10-01", "2026-11-20", rows, {}, At(2026, 11, 20, 2))
                    .ok());
  }
};

TEST_F(ReportApiTest, TheMonthToDateIsTheReportsJsonWithExactFigures) {
  const web::Response response = Get("/api/report", {{"month", "2026-11"}});
  ASSERT_EQ(response.status, 200) << response.body;
  const auto json = Json(response);
  EXPECT_EQ(Text(json["month"]), "2026-11");
  EXPECT_EQ(Text(json["from"]), "2026-11-01");
  EXPECT_EQ(Text(json["by"]), "service");
  EXPECT_EQ(Text(json["source"]), "aws");
  EXPECT_EQ(Text(json["metric"]), "UnblendedCost");
  // EC2: 18 * 0.3 + 10.0000000001; S3: 19 * 0.1. Same days of October: 19 * 0.4.
  EXPECT_EQ(*Decimal::Parse(Text(json["total"]["amount"])), *Decimal::Parse("17.3000000001"));
  EXPECT_EQ(*Decimal::Parse(Text(json["total"]["previous"])), *Decimal::Parse("7.6"));
  simdjson::dom::array groups = json["groups"];
  ASSERT_EQ(groups.size(), 2U);
  EXPECT_EQ(Text(groups.at(0)["key"]), "EC2");
  EXPECT_EQ(*Decimal::Parse(Text(groups.at(0)["amount"])), *Decimal::Parse("15.4000000001"));
  EXPECT_EQ(Text(groups.at(1)["key"]), "S3");
  EXPECT_EQ(*Decimal::Parse(Text(groups.at(1)["amount"])), *Decimal::Parse("1.9"));
  simdjson::dom::array days = json["days"];
  EXPECT_EQ(groups.at(0)["daily"].get_array().value().size(), days.size());
}

TEST_F(ReportApiTest, ARangeAndTheDefaultMonth) {
  const auto range = Json(Get("/api/report", {{"from", "2026-10-18"}, {"to", "2026-10-20"}}));
  EXPECT_EQ(Text(range["from"]), "2026-10-18");
  EXPECT_EQ(Text(range["to"]), "2026-10-20");
  EXPECT_EQ(*Decimal::Parse(Text(range["total"]["amount"])), *Decimal::Parse("0.8"));
  const auto current = Json(Get("/api/report"));
  EXPECT_EQ(Text(current["month"]), "2026-11");
}

TEST_F(ReportApiTest, WhatTheSourceOrCalendarCannotAnswerIsABadRequest) {
  // The source does not group by account.
  web::Response response = Get("/api/report", {{"by", "account"}});
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_FALSE(Text(Json(response)["error"]).empty());
  // A month that has not begun.
  response = Get("/api/report", {{"month", "2027-01"}});
  EXPECT_EQ(response.status, 400) << response.body;
}

}  // namespace
}  // namespace costwatch::dashboard
