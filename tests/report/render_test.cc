// The table fits 80 columns and is coloured only when asked; the CSV is RFC 4180; the JSON has
// the shape docs/report.md documents.
#include "report/render.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report_test.h"

namespace costwatch::report {
namespace {

using testing::Compute;
using testing::Cost;
using testing::D;
using testing::SampleCosts;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

store::AlarmState Alarm() {
  store::AlarmState alarm;
  alarm.rule = "monthly-budget";
  alarm.alarm = "actual-80%";
  alarm.state = "ALARM";
  alarm.since = std::chrono::sys_days(D("2026-11-20")) + std::chrono::hours(10);
  alarm.amount = "850.5";
  alarm.threshold = "800";
  alarm.unit = "USD";
  alarm.reason =
      "month to date 850.5 USD is above 80% of the budget of 1000 USD, which is a "
      "long sentence that has to wrap";
  return alarm;
}

// A whole month with long names, wide characters, a big amount, alarms and notes.
Report WideReport() {
  std::vector<alarms::DayCost> costs;
  const std::vector<std::string> services = {
      "Amazon Elastic Compute Cloud - Compute with a name far longer than any column",
      "\u00dcberwachung \u2013 \u00c4gypten \u6771\u4eac \u6771\u4eac \u6771\u4eac \u6771\u4eac",
      "Amazon S3"};
  for (int day = 1; day <= 31; ++day) {
    const std::string date = "2026-10-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    costs.push_back(Cost(date, services[0], "123456.78"));
    costs.push_back(Cost(date, services[1], day % 2 == 0 ? "1.5" : "-0.5"));
    costs.push_back(Cost(date, services[2], "0"));
  }
  ReportQuery query;
  query.month = std::chrono::year(2026) / std::chrono::October;
  ReportInputs inputs;
  inputs.alarms = {Alarm()};
  inputs.estimated = true;
  inputs.stored_from = D("2026-10-01");
  return Compute(query, costs, D("2026-11-29"), inputs);
}

TEST(ReportTable, EveryLineFitsEightyColumns) {
  for (const Report& report : {WideReport(), Compute({}, SampleCosts(), D("2026-11-04"))}) {
    const std::string table = ReportTable(report, {false, 80});
    for (const auto& line : Lines(table)) EXPECT_LE(DisplayWidth(line), 80U) << line;
  }
  const std::string table = ReportTable(WideReport(), {false, 80});
  EXPECT_NE(table.find("\nAmazon Elastic Comp"), std::string::npos);
  EXPECT_NE(table.find("\u2026"), std::string::npos);      // the long name is shortened
  EXPECT_NE(table.find("3827160.18"), std::string::npos);  // 31 × 123456.78
}

TEST(ReportTable, ShowsFiguresForecastAlarmsAndNotes) {
  ReportInputs inputs;
  inputs.alarms = {Alarm()};
  const std::string table = ReportTable(Compute({}, SampleCosts(), D("2026-11-04"), inputs), {});
  const auto lines = Lines(table);
  ASSERT_GE(lines.size(), 8U);
  EXPECT_EQ(lines[0], "November 2026 to date (2026-11-01 to 2026-11-03), by service");
  EXPECT_NE(table.find("Service              "), std::string::npos);
  EXPECT_NE(table.find("Amazon EC2"), std::string::npos);
  const auto ec2 = std::find_if(lines.begin(), lines.end(),
                                [](const std::string& l) { return l.starts_with("Amazon EC2"); });
  ASSERT_NE(ec2, lines.end());
  EXPECT_NE(ec2->find("29.00  96.7%  +45.0%  \u2585\u2588\u2581"), std::string::npos) << *ec2;
  const auto s3 = std::find_if(lines.begin(), lines.end(),
                               [](const std::string& l) { return l.starts_with("Amazon S3"); });
  ASSERT_NE(s3, lines.end());
  EXPECT_NE(s3->find("new"), std::string::npos);
  EXPECT_NE(table.find("Forecast for November 2026: 300.00 USD (run-rate projection"),
            std::string::npos);
  EXPECT_NE(table.find("ALARM"), std::string::npos);
  EXPECT_NE(table.find("monthly-budget actual-80%: 850.50 of 800.00 USD, since 2026-11-20"),
            std::string::npos);
}

TEST(ReportTable, ColoursOnlyWhenAsked) {
  const Report report = WideReport();
  EXPECT_EQ(ReportTable(report, {false, 80}).find('\x1b'), std::string::npos);
  const std::string coloured = ReportTable(report, {true, 80});
  EXPECT_NE(coloured.find("\x1b[31mALARM"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[1m"), std::string::npos);
}

TEST(ReportCsv, IsRfc4180WithAColumnPerDay) {
  auto costs = SampleCosts();
  costs.push_back(Cost("2026-11-02", "Foo, \"Bar\" Service", "2"));
  const std::string csv = ReportCsv(Compute({}, costs, D("2026-11-04")));
  const auto lines = Lines(csv);
  ASSERT_EQ(lines.size(), 6U);  // header, 4 groups, total
  EXPECT_EQ(lines[0],
            "key,name,amount,share,previous,change,change_percent,2026-11-01,2026-11-02,"
            "2026-11-03\r");
  EXPECT_EQ(lines[1], "Amazon EC2,Amazon EC2,29.00,90.6,20.00,9.00,45.0,10.10,20.20,-1.30\r");
  EXPECT_EQ(lines[2],
            "\"Foo, \"\"Bar\"\" Service\",\"Foo, \"\"Bar\"\" Service\",2,6.3,0,2,,0,2,0\r");
  EXPECT_EQ(lines[5], "(total),Total,32.000,100.0,22.50,9.500,42.2,10.433,22.20,-0.633\r");
  EXPECT_TRUE(csv.ends_with("\r\n"));
}

TEST(ReportJson, HasTheDocumentedShape) {
  auto costs = std::vector<alarms::DayCost>{Cost("2026-11-01", "Amazon \"S3\"", "1.50"),
                                            Cost("2026-10-01", "Amazon \"S3\"", "1")};
  ReportInputs inputs;
  auto alarm = Alarm();
  alarm.reason = "over";
  inputs.alarms = {alarm};
  const Report report = Compute({}, costs, D("2026-11-02"), inputs);
  EXPECT_EQ(ReportJson(report),
            R"({"month":"2026-11","from":"2026-11-01","to":"2026-11-02","by":"service",)"
            R"("source":"default","metric":"UnblendedCost","unit":"USD",)"
            R"("total":{"amount":"1.50","previous":"1","change":"0.50"},"changePercent":"50.0",)"
            R"("days":["2026-11-01"],)"
            R"("groups":[{"key":"Amazon \"S3\"","name":"Amazon \"S3\"","amount":"1.50",)"
            R"("share":"100.0","previous":"1","change":"0.50","changePercent":"50.0",)"
            R"("daily":["1.50"]}],)"
            R"("forecast":{"amount":"45.0000000000","kind":"run-rate","lower":null,"upper":null},)"
            R"("alarms":[{"rule":"monthly-budget","alarm":"actual-80%","state":"ALARM",)"
            R"("amount":"850.5","threshold":"800","unit":"USD","since":"2026-11-20T10:00:00Z",)"
            R"("reason":"over"}],"notes":[]})");
  const Report empty = Compute({}, {}, D("2026-11-01"));
  const std::string json = ReportJson(empty);
  EXPECT_NE(json.find(R"("changePercent":null,"days":[],"groups":[],"forecast":null,"alarms":[])"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace costwatch::report
