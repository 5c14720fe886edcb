#include "alarms/rules/day_costs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace costwatch::alarms {
namespace {

using ::testing::HasSubstr;

store::StoredRow Stored(std::string period, std::string data) {
  return {std::move(period), R"({"id":"1","data":)" + data + "}", false};
}

TEST(DayCosts, ReadsThePeriodTheGroupsAndTheMetricOfEachStoredEvent) {
  const std::vector<store::StoredRow> rows = {
      Stored("2026-11-01",
             R"({"date":"2026-11-01","service":"Amazon EC2","account":"012345678901",)"
             R"("tags":{"team":"web","env":""},"estimated":true,)"
             R"("amortizedCost":{"amount":"1.5","unit":"USD"},)"
             R"("unblendedCost":{"amount":"-0.0000001","unit":"USD"}})"),
      Stored("2026-11-01T05:00:00Z",
             R"({"start":"2026-11-01T05:00:00Z","unblendedCost":{"amount":"1E-7","unit":"USD"}})")};
  auto costs = ReadDayCosts(rows, "UnblendedCost");
  ASSERT_TRUE(costs.ok()) << costs.error().message;
  ASSERT_EQ(costs->size(), 2U);
  const DayCost& first = (*costs)[0];
  EXPECT_EQ(first.day, "2026-11-01");
  EXPECT_EQ(first.service, "Amazon EC2");
  EXPECT_EQ(first.account, "012345678901");
  EXPECT_EQ(first.tags.size(), 2U);
  EXPECT_EQ(first.amount.ToString(), "-0.0000001");
  EXPECT_EQ((*costs)[1].day, "2026-11-01");  // an hour counts for its day
  EXPECT_TRUE(((*costs)[0].amount + (*costs)[1].amount).is_zero());
}

TEST(DayCosts, ADamagedEventIsAnErrorNotAZero) {
  const std::vector<store::StoredRow> missing = {
      Stored("2026-11-01", R"({"date":"2026-11-01","amortizedCost":{"amount":"1","unit":"USD"}})")};
  auto result = ReadDayCosts(missing, "UnblendedCost");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message, HasSubstr("stored event of 2026-11-01 has no unblendedCost"));
  const std::vector<store::StoredRow> bad = {Stored(
      "2026-11-02", R"({"date":"2026-11-02","unblendedCost":{"amount":"1,5","unit":"USD"}})")};
  auto unreadable = ReadDayCosts(bad, "UnblendedCost");
  ASSERT_FALSE(unreadable.ok());
  EXPECT_THAT(unreadable.error().message, HasSubstr("is not a decimal number"));
}

TEST(DayCosts, ReadsTheAccountNameAndTheRecordType) {
  const std::vector<store::StoredRow> rows = {Stored(
      "2026-11-01", R"({"date":"2026-11-01","account":"012345678901","accountName":"prod-web",)"
                    R"("recordType":"Credit","estimated":false,)"
                    R"("unblendedCost":{"amount":"-0.25","unit":"USD"}})")};
  auto costs = ReadDayCosts(rows, "UnblendedCost");
  ASSERT_TRUE(costs.ok()) << costs.error().message;
  ASSERT_EQ(costs->size(), 1U);
  EXPECT_EQ((*costs)[0].account_name, "prod-web");
  EXPECT_EQ((*costs)[0].record_type, "Credit");
  EXPECT_TRUE((*costs)[0].amount.is_negative());
}

TEST(DayCosts, ScopesMatchServiceAccountAndTag) {
  DayCost cost{"2026-11-01",
               "Amazon EC2",
               "012345678901",
               {{"team", "web"}, {"env", ""}},
               {},
               "USD",
               "",
               ""};
  RuleScope scope;
  EXPECT_TRUE(InScope(cost, scope));
  EXPECT_EQ(DescribeScope(scope), "all costs");
  scope.account = "012345678901";
  scope.has_tag = true;
  scope.tag_key = "team";
  scope.tag_value = "web";
  EXPECT_TRUE(InScope(cost, scope));
  EXPECT_EQ(DescribeScope(scope), "account 012345678901 and tag team=web");
  scope.tag_value = "data";
  EXPECT_FALSE(InScope(cost, scope));
  scope.tag_key = "env";  // resources without a value for the tag
  scope.tag_value = "";
  EXPECT_TRUE(InScope(cost, scope));
  scope.tag_key = "owner";  // the row does not have the tag at all
  EXPECT_FALSE(InScope(cost, scope));
  scope = RuleScope{};
  scope.service = "Amazon RDS";
  EXPECT_FALSE(InScope(cost, scope));
}

}  // namespace
}  // namespace costwatch::alarms
