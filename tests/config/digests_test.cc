// digests[]: every key, the defaults, and the checks against sources and notifiers, with the
// line and column of each problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/redact.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using digests::DigestKind;
using digests::Grouping;
using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSinks;
using testing::Problems;

constexpr const char* kSource =
    "sources:\n"
    "  - name: aws\n"
    "    metrics: [UsageQuantity, UnblendedCost]\n"
    "    group_by: [SERVICE, \"TAG:team\"]\n";

constexpr const char* kNotifiers =
    "notifiers:\n"
    "  - name: mail\n    type: webhook\n    url: https://mail.example.com/hook\n"
    "  - name: chat\n    type: slack\n    webhook_url: https://hooks.slack.com/services/x\n";

CheckResult CheckDigests(const std::string& digests, const std::string& sources = kSource) {
  return Check(sources + kMinimalSinks + kNotifiers + "digests:\n" + digests);
}

TEST(ConfigDigests, DailyWithItsDefaults) {
  auto result = CheckDigests("  - name: morning\n    kind: daily\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  ASSERT_EQ(result.config.digests.size(), 1U);
  const auto& digest = result.config.digests[0];
  EXPECT_EQ(digest.kind, DigestKind::kDaily);
  EXPECT_EQ(digest.source, "aws");
  EXPECT_EQ(digest.metric, "UnblendedCost");  // the first cost metric, not UsageQuantity
  EXPECT_EQ(digest.group_by, Grouping::kService);
  EXPECT_EQ(digest.top, 10);
  EXPECT_EQ(digest.at, std::chrono::hours(8));
  EXPECT_EQ(digest.timezone, "UTC");
  EXPECT_TRUE(digest.notifiers.empty());
}

TEST(ConfigDigests, EveryKey) {
  auto result = CheckDigests(
      "  - name: week\n    kind: weekly\n    source: aws\n    metric: UnblendedCost\n"
      "    group_by: tag:team\n    top: 3\n    notifiers: [mail, chat]\n    at: \"07:30\"\n"
      "    timezone: Europe/Paris\n    weekday: friday\n    description: for finance\n"
      "  - name: bill\n    kind: monthly\n    day: 5\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& week = result.config.digests[0];
  EXPECT_EQ(week.group_by, Grouping::kTag);
  EXPECT_EQ(week.tag_key, "team");
  EXPECT_EQ(week.top, 3);
  EXPECT_EQ(week.notifiers, (std::vector<std::string>{"mail", "chat"}));
  EXPECT_EQ(week.at, std::chrono::minutes(7 * 60 + 30));
  EXPECT_EQ(week.timezone, "Europe/Paris");
  EXPECT_EQ(week.weekday, std::chrono::Friday);
  EXPECT_EQ(result.config.digests[1].kind, DigestKind::kMonthly);
  EXPECT_EQ(result.config.digests[1].day, 5U);
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, HasSubstr("digest week: weekly on friday at 07:30 Europe/Paris, top 3 by "
                                 "tag:team of UnblendedCost (source aws), to mail, chat\n"));
  EXPECT_THAT(summary, HasSubstr("digest bill: monthly on day 5 at 08:00 UTC, top 10 by service "
                                 "of UnblendedCost (source aws), to every notifier\n"));
}

TEST(ConfigDigests, ProblemsPointAtTheirKey) {
  auto result = CheckDigests(
      "  - name: a\n"                  // 16
      "    kind: dayly\n"              // 17
      "  - name: b\n"                  // 18
      "    kind: daily\n"              // 19
      "    weekday: monday\n"          // 20
      "    group_by: account\n"        // 21
      "    notifiers: [mial]\n"        // 22
      "    at: \"25:00\"\n"            // 23
      "  - name: c\n"                  // 24
      "    kind: monthly\n"            // 25
      "    day: 31\n"                  // 26
      "    metric: UsageQuantity\n");  // 27
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Problems(result),
            "costwatch.yaml:17:11: digests[0].kind: unknown digest kind 'dayly' (did you mean "
            "'daily'?)\n"
            "costwatch.yaml:20:14: digests[1].weekday is for weekly digests only\n"
            "costwatch.yaml:21:15: digests[1]: needs source 'aws' to group by LINKED_ACCOUNT "
            "(add it to the source's group_by)\n"
            "costwatch.yaml:22:17: digests[1].notifiers: no notifier is named 'mial' (did you "
            "mean 'mail'?)\n"
            "costwatch.yaml:23:9: digests[1].at: '25:00' is not a time of day in HH:MM form "
            "(00:00 to 23:59)\n"
            "costwatch.yaml:26:10: digests[2].day must be between 1 and 28, not 31\n"
            "costwatch.yaml:27:13: digests[2].metric: UsageQuantity is not a cost metric\n");
}

TEST(ConfigDigests, NeedANotifierAndDaysForDailyDigests) {
  auto no_notifiers =
      Check(std::string(kSource) + kMinimalSinks + "digests:\n  - name: a\n    kind: weekly\n");
  ASSERT_FALSE(no_notifiers.ok());
  EXPECT_THAT(Problems(no_notifiers), HasSubstr("the file has no notifiers to send it to"));
  auto monthly_rows = CheckDigests("  - name: a\n    kind: daily\n",
                                   "sources:\n  - name: aws\n    granularity: MONTHLY\n");
  ASSERT_FALSE(monthly_rows.ok());
  EXPECT_THAT(Problems(monthly_rows),
              HasSubstr("a daily digest needs days, but source 'aws' pulls MONTHLY rows"));
}

TEST(ConfigDigests, RetentionMustKeepWhatTheDigestsRead) {
  auto result = Check("state_retention_days: 60\n" + std::string(kSource) + kMinimalSinks +
                      kNotifiers + "digests:\n  - name: bill\n    kind: monthly\n");
  EXPECT_THAT(Problems(result),
              HasSubstr("1:23: state_retention_days: 60 days would delete costs the monthly "
                        "digest 'bill' reads (90 days); raise it to at least 90"));
  result = Check("state_retention_days: 62\n" + std::string(kSource) + kMinimalSinks + kNotifiers +
                 "digests:\n  - name: morning\n    kind: daily\n");
  EXPECT_TRUE(result.ok()) << Problems(result);
}

}  // namespace
}  // namespace costwatch::config
