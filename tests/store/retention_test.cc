#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::RawDb;
using testing::Row;
using testing::Seqs;
using testing::TempDir;

RowRecord HourRow(const std::string& hour, const std::string& id) {
  RowRecord row = Row(hour.substr(0, 10), "EC2", id);
  row.granularity = "HOURLY";
  row.period_start = hour;
  return row;
}

class StoreRetention : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  void Record(const std::vector<RowRecord>& rows, std::string_view start, std::string_view end,
              TimePoint now, std::string_view source = "ce") {
    auto recorded = store_->record_fetch(source, start, end, rows, sinks_, now);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  void DeliverAll() {
    // Late enough that entries waiting for a retry are due too.
    auto entries = store_->claim("http", 1000, At(2031, 1, 1));
    ASSERT_TRUE(entries.ok()) << entries.error().message;
    const auto seqs = Seqs(*entries);
    COSTWATCH_ASSERT_OK(store_->mark_delivered("http", seqs, At(2031, 1, 1)));
  }

  std::string Periods(const std::string& where = "1") {
    RawDb raw(path_);
    return raw.text(
        "SELECT group_concat(period_start, ' ') FROM (SELECT period_start FROM "
        "cost_rows WHERE " +
        where + " ORDER BY period_start)");
  }

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "state.db";
  std::vector<std::string> sinks_ = {"http"};
  std::optional<StateStore> store_;
};

TEST_F(StoreRetention, DeletesDeliveredRowsOlderThanTheDayAndKeepsTheRest) {
  Record({Row("2024-01-01", "EC2", "a"), Row("2024-01-02", "EC2", "b")}, "2024-01-01", "2024-01-03",
         At(2024, 1, 3));
  DeliverAll();
  Record({Row("2024-03-01", "EC2", "c")}, "2024-03-01", "2024-03-02", At(2024, 3, 2));
  DeliverAll();

  auto pruned = store_->prune("ce", "DAILY", At(2024, 1, 2, 15));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 1);
  EXPECT_EQ(Periods(), "2024-01-02 2024-03-01");
}

TEST_F(StoreRetention, HourlyPeriodsAreCutAtMidnightUtc) {
  Record({HourRow("2023-12-31T23:00:00Z", "a"), HourRow("2024-01-01T00:00:00Z", "b")},
         "2023-12-31T00:00:00Z", "2024-01-02T00:00:00Z", At(2024, 1, 2));
  DeliverAll();
  Record({HourRow("2024-01-05T00:00:00Z", "c")}, "2024-01-05T00:00:00Z", "2024-01-06T00:00:00Z",
         At(2024, 1, 6));
  DeliverAll();

  auto pruned = store_->prune("ce", "HOURLY", At(2024, 1, 1));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 1);
  EXPECT_EQ(Periods(), "2024-01-01T00:00:00Z 2024-01-05T00:00:00Z");
}

TEST_F(StoreRetention, KeepsRowsWhoseEventsStillWait) {
  Record({Row("2024-01-01", "EC2", "queued"), Row("2024-01-01", "S3", "refused"),
          Row("2024-01-01", "RDS", "delivered")},
         "2024-01-01", "2024-01-02", At(2024, 1, 2));
  auto entries = store_->claim("http", 10, At(2030, 1, 1));
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3U);
  const std::vector<std::int64_t> refused = {(*entries)[1].seq};
  const std::vector<std::int64_t> delivered = {(*entries)[2].seq};
  const std::vector<std::int64_t> waiting = {(*entries)[0].seq};
  COSTWATCH_ASSERT_OK(store_->dead_letter("http", refused, "400 Bad Request", At(2030, 1, 1)));
  COSTWATCH_ASSERT_OK(store_->mark_delivered("http", delivered, At(2030, 1, 1)));
  COSTWATCH_ASSERT_OK(store_->mark_retry("http", waiting, At(2030, 1, 2), "503 Service Unavailable",
                                         At(2030, 1, 1)));
  Record({}, "2024-03-01", "2024-03-02", At(2024, 3, 2));

  auto pruned = store_->prune("ce", "DAILY", At(2024, 2, 1));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 1);
  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(event_id, ' ') FROM (SELECT event_id FROM cost_rows "
                     "ORDER BY event_id)"),
            "queued refused");

  // Once delivered, and the dead letter cleared, they go too.
  DeliverAll();
  COSTWATCH_ASSERT_OK(store_->clear_dead_letters("http"));
  pruned = store_->prune("ce", "DAILY", At(2024, 2, 1));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 2);
  EXPECT_EQ(Periods(), "");
}

TEST_F(StoreRetention, NeverDeletesInsideTheFetchWindow) {
  // The window reaches back before the cut-off: a re-fetch would find deleted rows new again.
  Record({Row("2024-01-01", "EC2", "a"), Row("2024-01-10", "EC2", "b")}, "2024-01-01", "2024-01-11",
         At(2024, 1, 11));
  DeliverAll();

  auto pruned = store_->prune("ce", "DAILY", At(2024, 1, 5));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 0);
  EXPECT_EQ(Periods(), "2024-01-01 2024-01-10");
}

TEST_F(StoreRetention, OnlyTouchesTheGivenSourceAndGranularity) {
  Record({Row("2024-01-01", "EC2", "a")}, "2024-01-01", "2024-01-02", At(2024, 1, 2));
  Record({Row("2024-01-01", "EC2", "b")}, "2024-01-01", "2024-01-02", At(2024, 1, 2), "other");
  DeliverAll();
  Record({}, "2024-03-01", "2024-03-02", At(2024, 3, 2));
  Record({}, "2024-03-01", "2024-03-02", At(2024, 3, 2), "other");

  auto pruned = store_->prune("ce", "HOURLY", At(2024, 2, 1));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 0);
  pruned = store_->prune("ce", "DAILY", At(2024, 2, 1));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->cost_rows, 1);
  EXPECT_EQ(Periods("source = 'other'"), "2024-01-01");
  EXPECT_EQ(Periods("source = 'ce'"), "");
}

TEST_F(StoreRetention, DeletesOldAlarmHistoryAndPaidRequestDays) {
  AlarmState state{
      "monthly",    "",     "ALARM", At(2024, 1, 1), At(2024, 1, 1),
      std::nullopt, "12.5", "10",    "USD",          "month-to-date 12.5 USD >= 10 USD"};
  COSTWATCH_ASSERT_OK(store_->record_alarm(state, {}, At(2024, 1, 1)));
  state.state = "OK";
  state.since = state.evaluated = At(2024, 2, 3);
  COSTWATCH_ASSERT_OK(store_->record_alarm(state, {}, At(2024, 2, 3)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 3, At(2024, 1, 31, 23)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 2, At(2024, 2, 1)));

  auto pruned = store_->prune("ce", "DAILY", At(2024, 2, 1, 12));
  COSTWATCH_ASSERT_OK(pruned);
  EXPECT_EQ(pruned->alarm_history, 1);
  EXPECT_EQ(pruned->paid_requests, 1);
  auto history = store_->alarm_history(10);
  COSTWATCH_ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ((*history)[0].to_state, "OK");
  // The current state is not history.
  auto states = store_->alarm_states();
  COSTWATCH_ASSERT_OK(states);
  ASSERT_EQ(states->size(), 1U);
  EXPECT_EQ((*states)[0].state, "OK");
  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(day || '=' || count) FROM paid_requests"),
            "2024-02-01=2");
}

TEST_F(StoreRetention, ReleasingMemoryGivesThePageCacheBackAndKeepsWorking) {
  std::vector<RowRecord> rows;
  rows.reserve(2000);
  for (int i = 0; i < 2000; ++i) {
    rows.push_back(Row("2024-01-01", "service " + std::to_string(i), "id" + std::to_string(i)));
  }
  Record(rows, "2024-01-01", "2024-01-02", At(2024, 1, 2));
  const sqlite3_int64 before = sqlite3_memory_used();
  store_->release_memory();
  EXPECT_LT(sqlite3_memory_used(), before - 100'000);
  auto depth = store_->outbox_depth("http");
  COSTWATCH_ASSERT_OK(depth);
  EXPECT_EQ(*depth, 2000);
}

}  // namespace
}  // namespace costwatch::store
