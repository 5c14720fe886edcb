// /metrics and /readyz on a real state database in a scratch directory.
#include "metrics/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../store/store_test_support.h"
#include "store/state_store.h"

namespace costwatch::metrics {
namespace {

using store::testing::TempDir;

using std::chrono::hours;
using ::testing::HasSubstr;
using ::testing::Not;

TimePoint At(int year, unsigned month, unsigned day, int hour = 0) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} +
         hours{hour};
}

// One daily row grouped by service and account, as the encoder writes it (docs/events.md).
store::RowRecord Row(const std::string& day, const std::string& service, const std::string& account,
                     const std::string& amount) {
  const std::string id = day + service + account;
  const std::string json = R"({"id":")" + id + R"(","data":{"date":")" + day + R"(","service":")" +
                           service + R"(","account":")" + account +
                           R"(","estimated":false,"unblendedCost":{"amount":")" + amount +
                           R"(","unit":"USD"}}})";
  const std::string key = R"([["DIMENSION","SERVICE",")" + service +
                          R"("],["DIMENSION","LINKED_ACCOUNT",")" + account + R"("]])";
  return store::RowRecord{"DAILY", day, key, id, json, false};
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.state_path = dir_.path() / "state.db";
    context_.version = "1.2.3";
    context_.sources = {{"aws", "DAILY", {"UnblendedCost"}, true, false}};
  }

  void Record(const std::vector<store::RowRecord>& rows, TimePoint now) {
    auto store = store::StateStore::Open(context_.state_path);
    ASSERT_TRUE(store.ok()) << store.error().message;
    const std::vector<std::string> sinks = {"out"};
    auto recorded = store->record_fetch("aws", "2026-10-28", "2026-11-30", rows, sinks, now);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
    ASSERT_TRUE(store->add_requests("aws", 2, now).ok());
  }

  TempDir dir_;
  ScrapeContext context_;
};

TEST_F(MetricsTest, WithoutAStateOnlyTheBuildAndStateUpAreShown) {
  const std::string text = RenderMetrics(context_, At(2026, 11, 29, 12));
  EXPECT_THAT(text, HasSubstr("costwatch_build_info{version=\"1.2.3\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("\ncostwatch_state_up 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("costwatch_cost_")));
  EXPECT_FALSE(std::filesystem::exists(context_.state_path));  // read-only: nothing created
}

TEST_F(MetricsTest, CostGaugesAreExactSumsPerServiceOverTheAccounts) {
  Record({Row("2026-10-31", "EC2", "111", "100"),  // last month: not in the month
          Row("2026-11-01", "EC2", "111", "0.1"), Row("2026-11-01", "EC2", "222", "0.2"),
          Row("2026-11-28", "EC2", "111", "0.0000001"), Row("2026-11-28", "S3", "111", "1.5"),
          Row("2026-11-29", "S3", "111", "2")},
         At(2026, 11, 29, 3));
  const std::string text = RenderMetrics(context_, At(2026, 11, 29, 12));
  const std::string labels =
      R"(source="aws",granularity="DAILY",metric="UnblendedCost",unit="USD")";
  // 0.1 + 0.2 in double would be 0.30000000000000004.
  EXPECT_THAT(
      text, HasSubstr("costwatch_cost_month_to_date{" + labels + ",service=\"EC2\"} 0.3000001\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_cost_month_to_date{" + labels + ",service=\"S3\"} 3.5\n"));
  EXPECT_THAT(text,
              HasSubstr("costwatch_cost_previous_day{" + labels + ",service=\"EC2\"} 0.0000001\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_cost_previous_day{" + labels + ",service=\"S3\"} 1.5\n"));
  EXPECT_THAT(text, Not(HasSubstr("account=")));  // the source does not group by account
  EXPECT_THAT(text, HasSubstr("\ncostwatch_state_up 1\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_source_rows{source=\"aws\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_source_pulls_total{source=\"aws\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_cost_explorer_paid_requests{period=\"month\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_sink_outbox_depth{sink=\"out\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_sink_events_delivered_total{sink=\"out\"} 0\n"));
  // When the pull was recorded: 2026-11-29T03:00:00Z.
  EXPECT_THAT(text, HasSubstr("costwatch_source_last_success_timestamp_seconds{source=\"aws\"} "
                              "1795921200.000\n"));
  EXPECT_THAT(text, Not(HasSubstr("costwatch_aws_requests_total")));  // serve: no daemon
}

TEST_F(MetricsTest, AnAccountGroupingAddsTheAccountLabel) {
  context_.sources[0].by_account = true;
  Record({Row("2026-11-01", "EC2", "111", "0.1"), Row("2026-11-01", "EC2", "222", "0.2")},
         At(2026, 11, 2));
  const std::string text = RenderMetrics(context_, At(2026, 11, 2, 12));
  EXPECT_THAT(text, HasSubstr("service=\"EC2\",account=\"111\"} 0.1\n"));
  EXPECT_THAT(text, HasSubstr("service=\"EC2\",account=\"222\"} 0.2\n"));
}

TEST_F(MetricsTest, TheDaemonsCountersAppearUnderRun) {
  aws::RequestCounters requests;
  requests.count(aws::RequestOutcome::kOk);
  requests.count(aws::RequestOutcome::kThrottled);
  requests.count_retry();
  DeliveryCounters delivery({"out", "quiet"});
  delivery.add("out", 3, 1);
  std::atomic<bool> started{true};
  context_.daemon = DaemonState{&delivery, {{"aws", &requests}}, &started};
  const std::string text = RenderMetrics(context_, At(2026, 11, 29));
  EXPECT_THAT(text, HasSubstr("costwatch_aws_requests_total{source=\"aws\",outcome=\"ok\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("costwatch_aws_requests_total{source=\"aws\",outcome=\"throttled\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("costwatch_aws_requests_total{source=\"aws\",outcome=\"network_error\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_aws_retries_total{source=\"aws\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_sink_delivery_failures_total{sink=\"out\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_sink_events_dead_lettered_total{sink=\"out\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("costwatch_sink_delivery_failures_total{sink=\"quiet\"} 0\n"));
}

TEST_F(MetricsTest, ReadinessNeedsAStateAndAPullOfEverySource) {
  const auto now = At(2026, 11, 29, 12);
  auto missing = NotReadyReason(context_, now);
  ASSERT_TRUE(missing.has_value());
  EXPECT_THAT(*missing, HasSubstr("state.db"));

  { ASSERT_TRUE(store::StateStore::Open(context_.state_path).ok()); }
  auto never = NotReadyReason(context_, now);
  ASSERT_TRUE(never.has_value());
  EXPECT_EQ(*never, "source 'aws' has not been pulled successfully yet");

  Record({Row("2026-11-28", "EC2", "111", "1")}, At(2026, 11, 29, 3));
  EXPECT_EQ(NotReadyReason(context_, now), std::nullopt);
  // Daily pulls: stale after two days and an hour.
  auto stale = NotReadyReason(context_, At(2026, 12, 1, 5));
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(*stale, "source 'aws' has not been pulled successfully for 50 hours");
}

TEST_F(MetricsTest, ReadinessWaitsForTheDaemonsFirstRound) {
  Record({Row("2026-11-28", "EC2", "111", "1")}, At(2026, 11, 29, 3));
  std::atomic<bool> started{false};
  context_.daemon = DaemonState{nullptr, {}, &started};
  EXPECT_THAT(NotReadyReason(context_, At(2026, 11, 29, 4)).value_or(""), HasSubstr("starting"));
  started = true;
  EXPECT_EQ(NotReadyReason(context_, At(2026, 11, 29, 4)), std::nullopt);
}

TEST_F(MetricsTest, ReadinessFailsWhenEverySinkFails) {
  Record({Row("2026-11-28", "EC2", "111", "1")}, At(2026, 11, 29, 3));
  {
    auto store = store::StateStore::Open(context_.state_path);
    ASSERT_TRUE(store.ok());
    auto claimed = store->claim("out", 10, At(2026, 11, 29, 3));
    ASSERT_TRUE(claimed.ok() && !claimed->empty());
    const std::vector<std::int64_t> seqs = {(*claimed)[0].seq};
    ASSERT_TRUE(
        store->mark_retry("out", seqs, At(2026, 11, 29, 4), "HTTP 503", At(2026, 11, 29, 3)).ok());
  }
  auto reason = NotReadyReason(context_, At(2026, 11, 29, 4));
  ASSERT_TRUE(reason.has_value());
  EXPECT_THAT(*reason, HasSubstr("every sink is failing"));
}

}  // namespace
}  // namespace costwatch::metrics
