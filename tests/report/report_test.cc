// The report's figures on small, exact data: every amount to the last digit, shares, changes
// against the same days of the month before, the daily series, top N, forecast and notes.
#include "report/report.h"

#include <gtest/gtest.h>

#include "report_test.h"

namespace costwatch::report {
namespace {

using testing::Compute;
using testing::Cost;
using testing::D;
using testing::SampleCosts;

std::vector<std::string> Strings(const std::vector<Decimal>& values) {
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const auto& value : values) out.push_back(value.ToString());
  return out;
}

std::string Text(const std::optional<Decimal>& value) {
  return value ? value->ToString() : "null";
}

TEST(PlanReport, RunningMonthEndsTodayAndComparesTheSameDays) {
  const auto period = PlanReport({}, D("2026-11-04"));
  ASSERT_TRUE(period.ok());
  EXPECT_EQ(FormatDate(period->from), "2026-11-01");
  EXPECT_EQ(FormatDate(period->to), "2026-11-04");
  EXPECT_EQ(FormatDate(period->previous_from), "2026-10-01");
  EXPECT_EQ(FormatDate(period->previous_to), "2026-10-04");
}

TEST(PlanReport, PastMonthIsWholeAndComparedWithTheWholeMonthBefore) {
  ReportQuery query;
  query.month = std::chrono::year(2026) / std::chrono::March;
  const auto period = PlanReport(query, D("2026-11-04"));
  ASSERT_TRUE(period.ok());
  EXPECT_EQ(FormatDate(period->to), "2026-04-01");
  EXPECT_EQ(FormatDate(period->previous_from), "2026-02-01");
  EXPECT_EQ(FormatDate(period->previous_to), "2026-03-01");  // February is shorter: all of it
}

TEST(PlanReport, RangeIsComparedWithAsManyDaysBefore) {
  ReportQuery query;
  query.from = D("2026-11-10");
  query.to = D("2026-11-20");
  const auto period = PlanReport(query, D("2026-11-29"));
  ASSERT_TRUE(period.ok());
  EXPECT_EQ(FormatDate(period->previous_from), "2026-10-31");
  EXPECT_EQ(FormatDate(period->previous_to), "2026-11-10");
}

TEST(PlanReport, RefusesFutureMonthsAndEmptyRanges) {
  ReportQuery query;
  query.month = std::chrono::year(2026) / std::chrono::December;
  const auto future = PlanReport(query, D("2026-11-04"));
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.error().message, "month 2026-12 has not begun (today is 2026-11-04 UTC)");
  ReportQuery range;
  range.from = D("2026-11-10");
  range.to = D("2026-11-10");
  EXPECT_FALSE(PlanReport(range, D("2026-11-29")).ok());
  range.to.reset();
  EXPECT_FALSE(PlanReport(range, D("2026-11-29")).ok());
}

TEST(ComputeReport, GroupsAreExactSortedWithShareAndChange) {
  const Report report = Compute({}, SampleCosts(), D("2026-11-04"));
  EXPECT_EQ(report.month, "2026-11");
  ASSERT_EQ(report.days.size(), 3U);
  EXPECT_EQ(report.total.amount.ToString(), "30.000");
  EXPECT_EQ(report.total.previous.ToString(), "22.50");
  EXPECT_EQ(report.total.change.ToString(), "7.500");
  EXPECT_EQ(Text(report.total.change_percent), "33.3");
  EXPECT_EQ(Text(report.total.share), "100.0");
  EXPECT_EQ(Strings(report.total.daily), (std::vector<std::string>{"10.433", "20.20", "-0.633"}));

  ASSERT_EQ(report.groups.size(), 3U);
  const auto& ec2 = report.groups[0];
  EXPECT_EQ(ec2.key, "Amazon EC2");
  EXPECT_EQ(ec2.amount.ToString(), "29.00");
  EXPECT_EQ(Text(ec2.share), "96.7");
  EXPECT_EQ(ec2.previous.ToString(), "20.00");
  EXPECT_EQ(ec2.change.ToString(), "9.00");
  EXPECT_EQ(Text(ec2.change_percent), "45.0");
  EXPECT_EQ(Strings(ec2.daily), (std::vector<std::string>{"10.10", "20.20", "-1.30"}));

  const auto& s3 = report.groups[1];
  EXPECT_EQ(s3.amount.ToString(), "1.000");
  EXPECT_EQ(Text(s3.share), "3.3");
  EXPECT_EQ(Text(s3.change_percent), "null");  // nothing before: new
  EXPECT_EQ(Strings(s3.daily), (std::vector<std::string>{"0.333", "0", "0.667"}));

  const auto& lambda = report.groups[2];  // only in October: listed, with what it lost
  EXPECT_EQ(lambda.key, "AWS Lambda");
  EXPECT_EQ(lambda.amount.ToString(), "0");
  EXPECT_EQ(lambda.change.ToString(), "-2.5");
  EXPECT_EQ(Text(lambda.change_percent), "-100.0");
}

TEST(ComputeReport, TopSumsTheRestIntoOneGroup) {
  ReportQuery query;
  query.top = 1;
  const Report report = Compute(query, SampleCosts(), D("2026-11-04"));
  ASSERT_EQ(report.groups.size(), 2U);
  const auto& rest = report.groups[1];
  EXPECT_EQ(rest.key, "(other)");
  EXPECT_EQ(rest.name, "2 other services");
  EXPECT_EQ(rest.amount.ToString(), "1.000");
  EXPECT_EQ(rest.previous.ToString(), "2.5");
  EXPECT_EQ(Text(rest.share), "3.3");
  EXPECT_EQ(Strings(rest.daily), (std::vector<std::string>{"0.333", "0", "0.667"}));
}

TEST(ComputeReport, ForecastIsCostExplorersElseTheRunRate) {
  const Report run_rate = Compute({}, SampleCosts(), D("2026-11-04"));
  ASSERT_TRUE(run_rate.forecast);
  EXPECT_FALSE(run_rate.forecast->cost_explorer);
  EXPECT_EQ(run_rate.forecast->amount.ToString(), "300.0000000000");  // 30.000 × 30 ÷ 3
  EXPECT_EQ(run_rate.forecast->note, "run-rate projection: month to date \u00d7 30 days \u00f7 3");

  ReportInputs inputs;
  inputs.forecast_rest = *Decimal::Parse("270.5");
  const Report cached = Compute({}, SampleCosts(), D("2026-11-04"), inputs);
  ASSERT_TRUE(cached.forecast);
  EXPECT_TRUE(cached.forecast->cost_explorer);
  EXPECT_EQ(cached.forecast->amount.ToString(), "300.500");

  ReportQuery past;
  past.month = std::chrono::year(2026) / std::chrono::October;
  EXPECT_FALSE(Compute(past, SampleCosts(), D("2026-11-04")).forecast);
}

TEST(ComputeReport, GroupsByAccountWithItsNameAndByTag) {
  auto named = Cost("2026-11-01", "Amazon EC2", "1");
  named.account = "111111111111";
  named.account_name = "Prod";
  auto unnamed = Cost("2026-11-02", "Amazon EC2", "2");
  unnamed.account = "111111111111";
  ReportQuery by_account;
  by_account.by = digests::Grouping::kAccount;
  const Report accounts = Compute(by_account, {unnamed, named}, D("2026-11-04"));
  ASSERT_EQ(accounts.groups.size(), 1U);
  EXPECT_EQ(accounts.groups[0].key, "111111111111");
  EXPECT_EQ(accounts.groups[0].name, "111111111111 (Prod)");
  EXPECT_EQ(accounts.groups[0].amount.ToString(), "3");

  named.tags = {{"team", "web"}};
  ReportQuery by_tag;
  by_tag.by = digests::Grouping::kTag;
  by_tag.tag_key = "team";
  const Report tags = Compute(by_tag, {unnamed, named}, D("2026-11-04"));
  ASSERT_EQ(tags.groups.size(), 2U);
  EXPECT_EQ(tags.by, "tag:team");
  EXPECT_EQ(tags.groups[0].name, "(untagged)");
  EXPECT_EQ(tags.groups[1].key, "web");
  EXPECT_EQ(tags.groups[1].name, "team=web");
}

TEST(ComputeReport, NotesSayWhatQualifiesTheFigures) {
  ReportInputs inputs;
  inputs.estimated = true;
  inputs.stored_from = D("2026-10-03");
  const Report report = Compute({}, SampleCosts(), D("2026-11-04"), inputs);
  ASSERT_EQ(report.notes.size(), 2U);
  EXPECT_NE(report.notes[0].find("estimated"), std::string::npos);
  EXPECT_EQ(report.notes[1],
            "No costs are stored before 2026-10-03, so the comparison misses days from "
            "2026-10-01; `costwatch backfill --from 2026-10-01` fills them in.");

  const Report empty = Compute({}, {}, D("2026-11-04"));
  EXPECT_EQ(empty.notes, std::vector<std::string>{"No costs are stored for this period."});
  EXPECT_EQ(empty.total.amount.ToString(), "0");
  EXPECT_FALSE(empty.total.share);
  const Report first = Compute({}, SampleCosts(), D("2026-11-01"));
  EXPECT_TRUE(first.days.empty());
  EXPECT_FALSE(first.forecast);
  ASSERT_EQ(first.notes.size(), 1U);
  EXPECT_NE(first.notes[0].find("--month 2026-10"), std::string::npos);
}

TEST(ComputeReport, RefusesTwoCurrencies) {
  auto costs = SampleCosts();
  costs.back().unit = "EUR";
  auto period = PlanReport({}, D("2026-11-04"));
  ASSERT_TRUE(period.ok());
  ReportInputs inputs;
  inputs.costs = costs;
  EXPECT_FALSE(ComputeReport({}, *period, inputs, D("2026-11-04")).ok());
}

TEST(CheckGrouping, NamesTheSourceAndWhatToConfigure) {
  ReportQuery query;
  query.source = "aws";
  query.by = digests::Grouping::kTag;
  query.tag_key = "team";
  const auto refused = CheckGrouping(query, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message,
            "source 'aws' does not group by TAG:team, so its costs cannot be reported by "
            "tag:team; add TAG:team to the source's group_by and run `costwatch backfill`");
  ReportSource tagged;
  tagged.group_by.push_back({"TAG", "team"});
  EXPECT_TRUE(CheckGrouping(query, tagged).ok());
  EXPECT_TRUE(CheckGrouping(ReportQuery{}, {}).ok());
}

TEST(DefaultCostMetric, IsTheSourcesFirstCostMetric) {
  EXPECT_EQ(DefaultCostMetric({"UsageQuantity", "UnblendedCost", "AmortizedCost"}),
            "UnblendedCost");
  EXPECT_EQ(DefaultCostMetric({"UsageQuantity"}), "AmortizedCost");
  EXPECT_EQ(DefaultCostMetric({}), "AmortizedCost");
}

}  // namespace
}  // namespace costwatch::report
