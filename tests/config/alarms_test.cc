// alarms[]: every rule type, its keys and the checks against the sources.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/redact.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using alarms::Basis;
using alarms::BudgetPeriod;
using alarms::RuleKind;
using alarms::SpikeBy;
using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSinks;
using testing::Problems;

constexpr const char* kSource =
    "sources:\n"
    "  - name: aws\n"
    "    metrics: [UsageQuantity, UnblendedCost, AmortizedCost]\n"
    "    group_by: [SERVICE, \"TAG:team\"]\n";

constexpr const char* kNotifiers =
    "notifiers:\n"
    "  - name: mail\n    type: webhook\n    url: https://mail.example.com/hook\n"
    "  - name: slack\n    type: slack\n    webhook_url: https://hooks.slack.com/services/x\n";

CheckResult CheckAlarms(const std::string& alarms, const std::string& sources = kSource) {
  return Check(sources + kMinimalSinks + kNotifiers + "alarms:\n" + alarms);
}

Decimal D(std::string_view text) {
  return *Decimal::Parse(text);
}

TEST(ConfigAlarms, MonthToDateWithItsDefaults) {
  auto result =
      CheckAlarms("  - name: monthly-10usd\n    type: month_to_date\n    threshold: 10\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  ASSERT_EQ(result.config.alarms.size(), 1U);
  const auto& rule = result.config.alarms[0];
  EXPECT_EQ(rule.kind, RuleKind::kMonthToDate);
  EXPECT_EQ(rule.source, "aws");            // the only source
  EXPECT_EQ(rule.metric, "UnblendedCost");  // its first money metric, not UsageQuantity
  EXPECT_EQ(rule.threshold, D("10"));
  EXPECT_TRUE(rule.notify.empty());
  EXPECT_FALSE(rule.remind_every.has_value());
}

TEST(ConfigAlarms, EveryKeyOfEveryType) {
  auto result = CheckAlarms(
      "  - name: ec2\n    type: month_to_date\n    threshold: \"12.345\"\n"
      "    service: Amazon Elastic Compute Cloud - Compute\n    tag: team=web\n"
      "    metric: AmortizedCost\n    notify: [mail, slack]\n    remind_every: 24h\n"
      "    description: EC2 for the web team\n"
      "  - name: yearly\n    type: budget\n    period: year\n    amount: 1200.50\n"
      "    thresholds: [{percent: 80, of: actual}, {percent: 100, of: forecast}]\n"
      "  - name: spikes\n    type: spike\n    by: service\n    min_impact: 5\n"
      "    min_percent: 50\n    baseline_days: 7\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& mtd = result.config.alarms[0];
  EXPECT_EQ(mtd.threshold.ToString(), "12.345");
  EXPECT_EQ(mtd.scope.service, "Amazon Elastic Compute Cloud - Compute");
  EXPECT_TRUE(mtd.scope.has_tag);
  EXPECT_EQ(mtd.scope.tag_key, "team");
  EXPECT_EQ(mtd.scope.tag_value, "web");
  EXPECT_EQ(mtd.metric, "AmortizedCost");
  EXPECT_EQ(mtd.notify, (std::vector<std::string>{"mail", "slack"}));
  EXPECT_EQ(mtd.remind_every, std::chrono::hours(24));
  EXPECT_EQ(mtd.description, "EC2 for the web team");

  const auto& budget = result.config.alarms[1];
  EXPECT_EQ(budget.period, BudgetPeriod::kYear);
  EXPECT_EQ(budget.budget.ToString(), "1200.50");
  ASSERT_EQ(budget.thresholds.size(), 2U);
  EXPECT_EQ(budget.thresholds[0].percent, D("80"));
  EXPECT_EQ(budget.thresholds[0].basis, Basis::kActual);
  EXPECT_EQ(budget.thresholds[1].basis, Basis::kForecast);

  const auto& spike = result.config.alarms[2];
  EXPECT_EQ(spike.by, SpikeBy::kService);
  EXPECT_EQ(spike.min_impact, D("5"));
  EXPECT_EQ(spike.min_percent, D("50"));
  EXPECT_EQ(spike.baseline_days, 7);
}

TEST(ConfigAlarms, ABudgetWithoutThresholdsAlarmsAtOneHundredPercentOfActual) {
  auto result = CheckAlarms("  - name: b\n    type: budget\n    amount: 100\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  ASSERT_EQ(result.config.alarms[0].thresholds.size(), 1U);
  EXPECT_EQ(result.config.alarms[0].thresholds[0].percent, D("100"));
  EXPECT_EQ(result.config.alarms[0].thresholds[0].basis, Basis::kActual);
}

TEST(ConfigAlarms, BadRulesAreReportedWithTheirPlace) {
  struct Case {
    std::string alarms;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"  - name: a\n    type: month_to_dte\n    threshold: 1\n",
       "costwatch.yaml:17:11: alarms[0].type: unknown rule type 'month_to_dte' (did you mean "
       "'month_to_date'?)"},
      {"  - name: a\n    type: month_to_date\n", "missing required key 'threshold' in alarms[0]"},
      {"  - name: a\n    type: month_to_date\n    threshold: ten\n",
       "alarms[0].threshold \"ten\" is not a decimal number"},
      {"  - name: a\n    type: month_to_date\n    threshold: 0\n",
       "alarms[0].threshold must be more than 0"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    amount: 5\n",
       "unknown key 'amount' in alarms[0]"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    account: \"1\"\n",
       "alarms[0]: needs source 'aws' to group by LINKED_ACCOUNT"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    metric: UsageQuantity\n",
       "alarms[0].metric: UsageQuantity is not a cost metric"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    metric: BlendedCost\n",
       "alarms[0].metric: source 'aws' does not pull BlendedCost"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    source: awz\n",
       "alarms[0].source: no source is named 'awz' (did you mean 'aws'?)"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n    tag: team\n",
       "alarms[0].tag must be KEY=VALUE"},
      {"  - name: a\n    type: budget\n    amount: 1\n    period: week\n",
       "alarms[0].period must be month, quarter or year, not week"},
      {"  - name: a\n    type: budget\n    amount: 1\n    thresholds: [{of: forecast}]\n",
       "missing required key 'percent' in alarms[0].thresholds[0]"},
      {"  - name: a\n    type: budget\n    amount: 1\n    thresholds: [{percent: 80, of: guess}]\n",
       "alarms[0].thresholds[0].of must be actual or forecast, not guess"},
      {"  - name: a\n    type: spike\n    min_impact: 1\n    by: account\n",
       "alarms[0]: needs source 'aws' to group by LINKED_ACCOUNT"},
      {"  - name: a\n    type: spike\n    min_impact: 1\n    baseline_days: 1\n",
       "alarms[0].baseline_days"},
      {"  - name: a\n    type: month_to_date\n    threshold: 1\n"
       "  - name: a\n    type: month_to_date\n    threshold: 2\n",
       "another alarm rule is already named 'a'"},
  };
  for (const auto& test : cases) {
    auto result = CheckAlarms(test.alarms);
    ASSERT_FALSE(result.ok()) << test.alarms;
    EXPECT_THAT(Problems(result), HasSubstr(test.message)) << test.alarms;
  }
}

TEST(ConfigAlarms, SeveralSourcesNeedTheRuleToNameOne) {
  const std::string sources = std::string(kSource) + "  - name: other\n";
  auto result = CheckAlarms("  - name: a\n    type: month_to_date\n    threshold: 1\n", sources);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Problems(result), HasSubstr("several sources; name one with 'source'"));
  auto named = CheckAlarms(
      "  - name: a\n    type: month_to_date\n    threshold: 1\n    source: other\n", sources);
  ASSERT_TRUE(named.ok()) << Problems(named);
  EXPECT_EQ(named.config.alarms[0].metric, "AmortizedCost");  // other's default metric
}

TEST(ConfigAlarms, ASpikeRuleNeedsDaysNotMonths) {
  auto result = CheckAlarms("  - name: a\n    type: spike\n    min_impact: 1\n",
                            "sources:\n  - name: aws\n    granularity: MONTHLY\n");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Problems(result), HasSubstr("a spike rule compares days"));
}

}  // namespace
}  // namespace costwatch::config

namespace costwatch::config {
namespace {

TEST(ConfigAlarms, NotifyNamesConfiguredNotifiers) {
  const std::string base = std::string(kSource) + testing::kMinimalSinks +
                           "notifiers:\n  - name: ops-hook\n    type: webhook\n"
                           "    url: https://hooks.example.com/costs\n"
                           "alarms:\n  - name: a\n    type: month_to_date\n    threshold: 1\n";
  auto good = testing::Check(base + "    notify: [ops-hook]\n");
  ASSERT_TRUE(good.ok()) << testing::Problems(good);
  auto typo = testing::Check(base + "    notify: [ops-hok]\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(testing::Problems(typo),
              ::testing::HasSubstr("alarms[0].notify: no notifier is named 'ops-hok' (did you "
                                   "mean 'ops-hook'?)"));
}

}  // namespace
}  // namespace costwatch::config

namespace costwatch::config {
namespace {

TEST(ConfigAlarms, TheSummarySaysEachRuleAsAPersonWould) {
  auto result = testing::Check(
      std::string(kSource) + testing::kMinimalSinks + kNotifiers +
      "alarms:\n"
      "  - name: monthly\n    type: month_to_date\n    threshold: \"10.50\"\n"
      "    service: Amazon EC2\n    notify: [mail]\n    remind_every: 12h\n"
      "  - name: q\n    type: budget\n    period: quarter\n    amount: 3000\n"
      "    thresholds: [{percent: 80, of: actual}, {percent: 100, of: forecast}]\n"
      "  - name: s\n    type: spike\n    by: service\n    min_impact: 5\n    min_percent: 50\n");
  ASSERT_TRUE(result.ok()) << testing::Problems(result);
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, ::testing::HasSubstr(
                           "alarm monthly: month_to_date >= 10.5 of UnblendedCost (source aws, "
                           "service Amazon EC2), notify mail, remind every 12h\n"));
  EXPECT_THAT(summary, ::testing::HasSubstr("alarm q: budget 3000 a quarter at 80% of actual, "
                                            "100% of forecast of UnblendedCost (source aws), "
                                            "notify every notifier\n"));
  EXPECT_THAT(summary, ::testing::HasSubstr("alarm s: spike of 5 and 50% over the 14-day mean "
                                            "per service of UnblendedCost (source aws)"));
}

TEST(ConfigAlarms, RetentionMustKeepWhatTheRulesRead) {
  const std::string yearly =
      "  - name: yearly\n    type: budget\n    period: year\n    amount: 100\n";
  const std::string spike =
      "  - name: spikes\n    type: spike\n    min_impact: 5\n    baseline_days: 30\n";
  auto result = Check("state_retention_days: 200\n" + std::string(kSource) + kMinimalSinks +
                      kNotifiers + "alarms:\n" + spike + yearly);
  EXPECT_THAT(Problems(result),
              HasSubstr("1:23: state_retention_days: 200 days would delete costs the yearly "
                        "budget 'yearly' reads (366 days); raise it to at least 366, or 0 to "
                        "keep everything"));

  result = Check("state_retention_days: 366\n" + std::string(kSource) + kMinimalSinks + kNotifiers +
                 "alarms:\n" + spike + yearly);
  EXPECT_TRUE(result.ok()) << Problems(result);
  result = Check("state_retention_days: 0\n" + std::string(kSource) + kMinimalSinks + kNotifiers +
                 "alarms:\n" + yearly);
  EXPECT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.config.state_retention_days, 0);
  result = Check("state_retention_days: 30\n" + std::string(kSource) + kMinimalSinks + kNotifiers +
                 "alarms:\n" + spike);
  EXPECT_THAT(Problems(result), HasSubstr("the spike rule 'spikes' reads (31 days)"));
}

}  // namespace
}  // namespace costwatch::config
