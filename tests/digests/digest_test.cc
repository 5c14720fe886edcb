// The digest figures on small, exact data: every amount is checked to the last digit, and the
// credits, refunds, top list, rest and movers follow docs/digests.md.
#include "digests/digest.h"

#include <gtest/gtest.h>

#include <vector>

#include "../alarms/day_cost_sample.h"
#include "util/dates.h"

namespace costwatch::digests {
namespace {

Day D(const char* text) {
  return *ParseDate(text);
}

using alarms::testing::Cost;

DigestConfig Config(DigestKind kind, int top = 2) {
  DigestConfig config;
  config.name = "costs";
  config.kind = kind;
  config.source = "aws";
  config.metric = "UnblendedCost";
  config.top = top;
  return config;
}

notify::Digest Compute(const DigestConfig& config, const std::vector<alarms::DayCost>& costs,
                       Day today, const DigestInputs& inputs = {}) {
  auto digest = ComputeDigest(config, costs, PlanDigest(config, today), inputs);
  EXPECT_TRUE(digest.ok()) << digest.error().message;
  return digest.ok() ? *digest : notify::Digest{};
}

TEST(PlanDigest, CoversYesterdayTheWeekOrTheClosedMonth) {
  const auto daily = PlanDigest(Config(DigestKind::kDaily), D("2026-03-01"));
  EXPECT_EQ(FormatDate(daily.start), "2026-02-28");
  EXPECT_EQ(FormatDate(daily.end), "2026-03-01");
  EXPECT_EQ(FormatDate(daily.compare_start), "2026-02-27");
  EXPECT_EQ(FormatDate(daily.read_from), "2026-01-01");  // February's "same days" of January

  const auto weekly = PlanDigest(Config(DigestKind::kWeekly), D("2026-11-30"));
  EXPECT_EQ(FormatDate(weekly.start), "2026-11-23");
  EXPECT_EQ(FormatDate(weekly.compare_start), "2026-11-16");
  EXPECT_EQ(FormatDate(weekly.read_to), "2026-11-30");

  const auto monthly = PlanDigest(Config(DigestKind::kMonthly), D("2026-01-03"));
  EXPECT_EQ(FormatDate(monthly.start), "2025-12-01");
  EXPECT_EQ(FormatDate(monthly.end), "2026-01-01");
  EXPECT_EQ(FormatDate(monthly.compare_start), "2025-11-01");
  EXPECT_EQ(DigestId(Config(DigestKind::kMonthly), monthly), "costs-2025-12-01");
}

TEST(ComputeDigest, DailyFiguresAreExactSums) {
  const std::vector<alarms::DayCost> costs = {
      Cost("2026-10-01", "EC2", "5.0000000001"),  // same days last month
      Cost("2026-10-05", "EC2", "1"),             // after them: not counted
      Cost("2026-11-01", "EC2", "2.5"),           // month to date
      Cost("2026-11-02", "EC2", "3.25"),          // the day before yesterday
      Cost("2026-11-02", "S3", "1"),
      Cost("2026-11-03", "EC2", "4.0000000001"),  // yesterday
      Cost("2026-11-03", "S3", "0.5"),
      Cost("2026-11-03", "Lambda", "0.25"),
      Cost("2026-11-03", "EC2", "-0.75", "Credit"),
      Cost("2026-11-03", "Support", "-0.1", "Refund"),
      Cost("2026-11-04", "EC2", "100"),  // today: never in the digest
  };
  const auto digest = Compute(Config(DigestKind::kDaily), costs, D("2026-11-04"));
  EXPECT_EQ(digest.id, "costs-2026-11-03");
  EXPECT_EQ(digest.period_start, "2026-11-03");
  EXPECT_EQ(digest.period_end, "2026-11-04");
  ASSERT_EQ(digest.figures.size(), 4U);
  EXPECT_EQ(digest.figures[0].label, "Yesterday (2026-11-03)");
  EXPECT_EQ(*Decimal::Parse(digest.figures[0].amount), *Decimal::Parse("3.9000000001"));
  EXPECT_EQ(*Decimal::Parse(*digest.figures[0].previous), *Decimal::Parse("4.25"));
  EXPECT_EQ(digest.figures[0].compared_with, "the day before");
  // Last 7 days: 2.5 + 4.25 + 3.9000000001 (October is out of reach).
  EXPECT_EQ(*Decimal::Parse(digest.figures[1].amount), *Decimal::Parse("10.6500000001"));
  EXPECT_EQ(*Decimal::Parse(*digest.figures[1].previous), Decimal());
  // Month to date: the same; the same three days of October: October 1 to 3.
  EXPECT_EQ(digest.figures[2].label, "Month to date (November 2026)");
  EXPECT_EQ(*Decimal::Parse(digest.figures[2].amount), *Decimal::Parse("10.6500000001"));
  EXPECT_EQ(*Decimal::Parse(*digest.figures[2].previous), *Decimal::Parse("5.0000000001"));
  // Run rate: 10.6500000001 * 30 / 3, to ten places.
  EXPECT_EQ(digest.figures[3].label, "Forecast for November 2026");
  EXPECT_EQ(*Decimal::Parse(digest.figures[3].amount), *Decimal::Parse("106.500000001"));
  EXPECT_NE(digest.figures[3].note.find("run-rate projection"), std::string::npos);

  EXPECT_EQ(*Decimal::Parse(digest.spend), *Decimal::Parse("4.7500000001"));
  EXPECT_EQ(*Decimal::Parse(digest.credits), *Decimal::Parse("-0.75"));
  EXPECT_EQ(*Decimal::Parse(digest.refunds), *Decimal::Parse("-0.1"));
  ASSERT_EQ(digest.top.size(), 2U);
  EXPECT_EQ(digest.top[0].name, "EC2");
  EXPECT_EQ(digest.top[0].amount, "4.0000000001");
  EXPECT_EQ(*Decimal::Parse(*digest.top[0].previous), *Decimal::Parse("3.25"));
  EXPECT_EQ(digest.top[1].name, "S3");
  ASSERT_TRUE(digest.rest.has_value());
  EXPECT_EQ(digest.rest->name, "1 other service");
  EXPECT_EQ(*Decimal::Parse(digest.rest->amount), *Decimal::Parse("0.25"));
  // Movers by the size of the change: EC2 +0.75, S3 -0.5, Lambda +0.25.
  ASSERT_EQ(digest.movers.size(), 3U);
  EXPECT_EQ(digest.movers[0].name, "EC2");
  EXPECT_EQ(digest.movers[1].name, "S3");
  EXPECT_EQ(digest.movers[2].name, "Lambda");
  EXPECT_EQ(digest.title, "AWS costs of 2026-11-03: 3.90 USD (-8.2%)");
  EXPECT_TRUE(digest.link.empty());
}

TEST(ComputeDigest, ACachedForecastReplacesTheRunRate) {
  const std::vector<alarms::DayCost> costs = {Cost("2026-11-01", "EC2", "2"),
                                              Cost("2026-11-02", "EC2", "3")};
  DigestInputs inputs;
  inputs.forecast_rest = *Decimal::Parse("40.5");
  const auto digest = Compute(Config(DigestKind::kDaily), costs, D("2026-11-03"), inputs);
  ASSERT_EQ(digest.figures.size(), 4U);
  EXPECT_EQ(*Decimal::Parse(digest.figures[3].amount), *Decimal::Parse("45.5"));
  EXPECT_EQ(digest.figures[3].note, "Cost Explorer forecast");
}

TEST(ComputeDigest, TheFirstOfAMonthHasNoForecast) {
  const auto digest =
      Compute(Config(DigestKind::kDaily), {Cost("2026-10-31", "EC2", "1")}, D("2026-11-01"));
  ASSERT_EQ(digest.figures.size(), 3U);
  EXPECT_EQ(digest.figures[2].label, "Month to date (October 2026)");
}

TEST(ComputeDigest, MonthlyIsTheClosedMonthsBillWithTheLink) {
  const std::vector<alarms::DayCost> costs = {
      Cost("2026-09-30", "EC2", "7"),      Cost("2026-10-01", "EC2", "10"),
      Cost("2026-10-15", "S3", "2"),       Cost("2026-10-15", "EC2", "-1.5", "Refund"),
      Cost("2026-10-31", "EC2", "-3", ""),  // net negative, no record type: a credit
      Cost("2026-11-01", "EC2", "99")};
  const auto digest = Compute(Config(DigestKind::kMonthly, 10), costs, D("2026-11-03"));
  EXPECT_EQ(digest.period_start, "2026-10-01");
  EXPECT_EQ(digest.period_end, "2026-11-01");
  ASSERT_EQ(digest.figures.size(), 1U);
  EXPECT_EQ(digest.figures[0].label, "Bill for October 2026");
  EXPECT_EQ(*Decimal::Parse(digest.figures[0].amount), *Decimal::Parse("7.5"));
  EXPECT_EQ(*Decimal::Parse(*digest.figures[0].previous), *Decimal::Parse("7"));
  EXPECT_EQ(*Decimal::Parse(digest.credits), *Decimal::Parse("-3"));
  EXPECT_EQ(*Decimal::Parse(digest.refunds), *Decimal::Parse("-1.5"));
  EXPECT_EQ(*Decimal::Parse(digest.spend), *Decimal::Parse("12"));
  EXPECT_FALSE(digest.rest.has_value());
  EXPECT_EQ(digest.link, kBillsUrl);
  EXPECT_EQ(digest.title, "AWS bill for October 2026: 7.50 USD (+7.1%)");
}

TEST(ComputeDigest, GroupsByAccountOrTagAndSaysWhatIsEstimated) {
  alarms::DayCost named = Cost("2026-11-02", "", "4");
  named.account = "012345678901";
  named.account_name = "prod-web";
  alarms::DayCost tagged = Cost("2026-11-02", "", "1");
  tagged.tags = {{"team", "web"}};
  alarms::DayCost untagged = Cost("2026-11-02", "", "2");
  untagged.tags = {{"team", ""}};

  DigestConfig by_account = Config(DigestKind::kWeekly, 5);
  by_account.group_by = Grouping::kAccount;
  DigestInputs estimated;
  estimated.estimated = true;
  const auto accounts = Compute(by_account, {named}, D("2026-11-03"), estimated);
  ASSERT_EQ(accounts.top.size(), 1U);
  EXPECT_EQ(accounts.top[0].name, "012345678901 (prod-web)");
  EXPECT_EQ(accounts.group_by, "account");
  ASSERT_EQ(accounts.notes.size(), 1U);
  EXPECT_NE(accounts.notes[0].find("estimated"), std::string::npos);

  DigestConfig by_tag = Config(DigestKind::kWeekly, 5);
  by_tag.group_by = Grouping::kTag;
  by_tag.tag_key = "team";
  const auto tags = Compute(by_tag, {tagged, untagged}, D("2026-11-03"));
  ASSERT_EQ(tags.top.size(), 2U);
  EXPECT_EQ(tags.top[0].name, "(untagged)");
  EXPECT_EQ(tags.top[1].name, "team=web");
  EXPECT_EQ(tags.group_by, "tag:team");
}

TEST(ComputeDigest, SaysWhenTheStoredCostsBeginAfterTheComparedDays) {
  // October is stored only from the 20th: "+184%" against it would be an artefact.
  const std::vector<alarms::DayCost> costs = {Cost("2026-10-20", "EC2", "1"),
                                              Cost("2026-11-10", "EC2", "2")};
  const DigestConfig config = Config(DigestKind::kMonthly);
  DigestInputs late;
  late.stored_from = D("2026-10-20");
  const auto partial = Compute(config, costs, D("2026-12-02"), late);
  ASSERT_EQ(partial.notes.size(), 1U);
  EXPECT_EQ(partial.notes[0],
            "No costs are stored before 2026-10-20, so the comparison misses days from "
            "2026-10-01; `costwatch backfill --from 2026-10-01` fills them in.");

  DigestInputs complete;
  complete.stored_from = D("2026-10-01");
  EXPECT_TRUE(Compute(config, costs, D("2026-12-02"), complete).notes.empty());
}

TEST(ComputeDigest, RefusesToAddTwoCurrencies) {
  alarms::DayCost euro = Cost("2026-11-02", "EC2", "1");
  euro.unit = "EUR";
  auto digest =
      ComputeDigest(Config(DigestKind::kDaily), std::vector{Cost("2026-11-02", "S3", "1"), euro},
                    PlanDigest(Config(DigestKind::kDaily), D("2026-11-03")), {});
  ASSERT_FALSE(digest.ok());
  EXPECT_NE(digest.error().message.find("USD and EUR"), std::string::npos);
}

}  // namespace
}  // namespace costwatch::digests
