// The query of /api/report: a month, a range, the grouping and the source, and a 400 with a
// message naming the parameter for anything else.
#include "dashboard/report_query.h"

#include <gtest/gtest.h>

#include "util/dates.h"

namespace costwatch::dashboard {
namespace {

config::SourceConfig Source(std::string name) {
  config::SourceConfig source;
  source.name = std::move(name);
  return source;
}

std::chrono::sys_days Day(const char* text) {
  return *ParseDate(text);
}

config::Config TwoSources() {
  config::Config config;
  config.sources.push_back(Source("aws"));
  config.sources.push_back(Source("other"));
  return config;
}

Result<ReportQuery> Parse(const std::map<std::string, std::string>& query) {
  return ParseReportQuery(query, TwoSources(), Day("2026-11-20"));
}

TEST(ReportQueryTest, DefaultsToTheCurrentMonthByServiceOfTheFirstSource) {
  auto query = Parse({});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->from, Day("2026-11-01"));
  EXPECT_EQ(query->to, Day("2026-12-01"));
  EXPECT_TRUE(query->whole_month);
  EXPECT_EQ(query->by, "service");
  EXPECT_EQ(query->source, "aws");
}

TEST(ReportQueryTest, AMonthIsItsDays) {
  auto query = Parse({{"month", "2024-02"}, {"by", "tag:team"}, {"source", "other"}});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->from, Day("2024-02-01"));
  EXPECT_EQ(query->to, Day("2024-03-01"));
  EXPECT_EQ(query->by, "tag:team");
  EXPECT_EQ(query->source, "other");
  auto december = Parse({{"month", "2026-12"}});
  ASSERT_TRUE(december.ok());
  EXPECT_EQ(december->to, Day("2027-01-01"));
}

TEST(ReportQueryTest, ARangeIsFromToExclusive) {
  auto query = Parse({{"from", "2026-10-15"}, {"to", "2026-11-15"}, {"by", "account"}});
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ(query->from, Day("2026-10-15"));
  EXPECT_EQ(query->to, Day("2026-11-15"));
  EXPECT_FALSE(query->whole_month);
}

TEST(ReportQueryTest, BadQueriesNameTheParameter) {
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {{{"month", "2026-13"}}, "month=2026-13 is not a month in YYYY-MM form"},
      {{{"month", "2026-1"}}, "month=2026-1 is not a month in YYYY-MM form"},
      {{{"month", "2026-11"}, {"from", "2026-11-01"}}, "give either month= or from= and to="},
      {{{"from", "2026-11-01"}}, "from= and to= go together"},
      {{{"from", "2026-11-31"}, {"to", "2026-12-02"}}, "from=2026-11-31 is not a date"},
      {{{"from", "2026-11-05"}, {"to", "2026-11-05"}}, "to= must be after from="},
      {{{"from", "2024-01-01"}, {"to", "2026-01-01"}}, "spans more than 366 days"},
      {{{"by", "region"}}, "by=region is not one of service, account or tag:KEY"},
      {{{"by", "tag:"}}, "by=tag: is not one of"},
      {{{"source", "nope"}}, "source=nope is not a configured source"},
      {{{"days", "30"}}, "unknown query parameter 'days'"},
  };
  for (const auto& [query, message] : cases) {
    auto parsed = Parse(query);
    ASSERT_FALSE(parsed.ok()) << message;
    EXPECT_NE(parsed.error().message.find(message), std::string::npos) << parsed.error().message;
  }
}

}  // namespace
}  // namespace costwatch::dashboard
