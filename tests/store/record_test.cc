#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::Ids;
using testing::RawDb;
using testing::Row;
using testing::TempDir;

class StoreRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }

  Result<RecordSummary> Record(const std::vector<RowRecord>& rows, TimePoint now,
                               std::string_view start = "2024-03-01",
                               std::string_view end = "2024-03-03") {
    return store_->record_fetch("ce", start, end, rows, sinks_, now);
  }

  std::vector<std::string> Pending(const std::string& sink) {
    auto entries = store_->claim(sink, 100, At(2030, 1, 1));
    EXPECT_TRUE(entries.ok());
    return entries.ok() ? Ids(*entries) : std::vector<std::string>{};
  }

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "state.db";
  std::vector<std::string> sinks_ = {"http", "kafka"};
  std::optional<StateStore> store_;
};

TEST_F(StoreRecord, NewRowsAreQueuedForEverySink) {
  auto summary =
      Record({Row("2024-03-01", "EC2", "a1"), Row("2024-03-01", "S3", "b1")}, At(2024, 3, 3, 6));
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->new_rows, 2);
  EXPECT_EQ(summary->changed_rows, 0);
  EXPECT_EQ(summary->unchanged_rows, 0);
  EXPECT_EQ(summary->events_queued, 4);
  EXPECT_EQ(Pending("http"), (std::vector<std::string>{"a1", "b1"}));
  EXPECT_EQ(Pending("kafka"), (std::vector<std::string>{"a1", "b1"}));
}

TEST_F(StoreRecord, RestatedRowsGetTheirNewEventQueuedAfterTheOld) {
  COSTWATCH_ASSERT_OK(Record({Row("2024-03-01", "EC2", "a1", true), Row("2024-03-01", "S3", "b1")},
                             At(2024, 3, 2, 6)));
  // AWS restates EC2 (new amounts, new id) and adds a new day.
  auto summary = Record({Row("2024-03-01", "EC2", "a2", true), Row("2024-03-01", "S3", "b1"),
                         Row("2024-03-02", "EC2", "c1", true)},
                        At(2024, 3, 3, 6));
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->new_rows, 1);
  EXPECT_EQ(summary->changed_rows, 1);
  EXPECT_EQ(summary->unchanged_rows, 1);
  EXPECT_EQ(summary->events_queued, 4);
  // The undelivered a1 stays: it is what AWS said then; a2 follows it.
  EXPECT_EQ(Pending("http"), (std::vector<std::string>{"a1", "b1", "a2", "c1"}));

  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT event_id || ' ' || revision FROM cost_rows WHERE group_key LIKE "
                     "'%EC2%' AND period_start = '2024-03-01'"),
            "a2 2");
}

TEST_F(StoreRecord, FinalisingWithoutNewAmountsEmitsNothingButUpdatesTheFlag) {
  COSTWATCH_ASSERT_OK(Record({Row("2024-03-01", "EC2", "a1", true)}, At(2024, 3, 2, 6)));
  auto summary = Record({Row("2024-03-01", "EC2", "a1", false)}, At(2024, 3, 4, 6));
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->unchanged_rows, 1);
  EXPECT_EQ(summary->events_queued, 0);
  EXPECT_EQ(Pending("http"), (std::vector<std::string>{"a1"}));
  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT estimated FROM cost_rows"), "0");
  EXPECT_EQ(raw.text("SELECT revision FROM cost_rows"), "1");
}

TEST_F(StoreRecord, RowsMissingFromARefetchAreKeptAndCounted) {
  COSTWATCH_ASSERT_OK(Record({Row("2024-03-01", "EC2", "a1"), Row("2024-03-01", "S3", "b1"),
                              Row("2024-02-28", "S3", "old")},
                             At(2024, 3, 2, 6), "2024-02-28", "2024-03-02"));
  // Re-fetching only 2024-03-01: S3 is gone; the row of 2024-02-28 is outside the window.
  auto summary =
      Record({Row("2024-03-01", "EC2", "a1")}, At(2024, 3, 3, 6), "2024-03-01", "2024-03-02");
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->unchanged_rows, 1);
  EXPECT_EQ(summary->vanished_rows, 1);
  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT count(*) FROM cost_rows"), "3");
}

TEST_F(StoreRecord, HourlyPeriodsFallInsideDateWindows) {
  RowRecord hour = Row("2024-03-01T23:00:00Z", "EC2", "h1");
  hour.granularity = "HOURLY";
  RowRecord next = Row("2024-03-02T00:00:00Z", "EC2", "h2");
  next.granularity = "HOURLY";
  COSTWATCH_ASSERT_OK(Record({hour, next}, At(2024, 3, 2, 6), "2024-03-01", "2024-03-03"));
  auto summary = Record({}, At(2024, 3, 2, 7), "2024-03-01", "2024-03-02");
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->vanished_rows, 1);  // 23:00 of the 1st only
}

TEST_F(StoreRecord, CheckpointFollowsTheLastFetch) {
  auto none = store_->checkpoint("ce");
  COSTWATCH_ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  COSTWATCH_ASSERT_OK(Record({}, At(2024, 3, 2, 6), "2024-02-01", "2024-03-02"));
  COSTWATCH_ASSERT_OK(Record({}, At(2024, 3, 3, 6), "2024-02-25", "2024-03-03"));
  auto checkpoint = store_->checkpoint("ce");
  COSTWATCH_ASSERT_OK(checkpoint);
  ASSERT_TRUE(checkpoint->has_value());
  EXPECT_EQ((*checkpoint)->window_start, "2024-02-25");
  EXPECT_EQ((*checkpoint)->window_end, "2024-03-03");
  EXPECT_EQ((*checkpoint)->fetched_at, At(2024, 3, 3, 6));
  EXPECT_EQ((*checkpoint)->fetches, 2);
  auto other = store_->checkpoint("other");
  COSTWATCH_ASSERT_OK(other);
  EXPECT_FALSE(other->has_value());
}

TEST_F(StoreRecord, AFailureHalfWayLeavesNothing) {
  COSTWATCH_ASSERT_OK(Record({Row("2024-03-01", "EC2", "a1")}, At(2024, 3, 2, 6)));
  // The third row breaks a constraint (an event needs an id) after two rows were written and
  // queued inside the transaction.
  std::vector<RowRecord> rows = {Row("2024-03-01", "EC2", "a2"), Row("2024-03-02", "S3", "b1"),
                                 Row("2024-03-02", "RDS", "")};
  auto summary = Record(rows, At(2024, 3, 3, 6), "2024-03-01", "2024-03-04");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().message.find("row 2 (DAILY 2024-03-02"), std::string::npos)
      << summary.error().message;
  EXPECT_NE(summary.error().message.find("CHECK constraint failed"), std::string::npos)
      << summary.error().message;

  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT group_concat(event_id) FROM cost_rows"), "a1");
  EXPECT_EQ(raw.text("SELECT count(*) FROM outbox"), "2");  // a1 for both sinks
  EXPECT_EQ(raw.text("SELECT window_end || ' ' || fetches FROM checkpoints"), "2024-03-03 1");

  // A bad sink name fails while queueing: the same all-or-nothing.
  sinks_ = {"http", ""};
  ASSERT_FALSE(Record({Row("2024-03-05", "EC2", "x1")}, At(2024, 3, 6, 6)).ok());
  EXPECT_EQ(raw.text("SELECT count(*) FROM cost_rows"), "1");
  EXPECT_EQ(raw.text("SELECT count(*) FROM outbox"), "2");

  // And the store still works afterwards.
  sinks_ = {"http"};
  COSTWATCH_ASSERT_OK(Record({Row("2024-03-01", "EC2", "a2")}, At(2024, 3, 6, 7)));
  EXPECT_EQ(raw.text("SELECT group_concat(event_id) FROM cost_rows"), "a2");
}

TEST_F(StoreRecord, WithoutSinksRowsAreRecordedAndNothingQueued) {
  sinks_.clear();
  auto summary = Record({Row("2024-03-01", "EC2", "a1")}, At(2024, 3, 2, 6));
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->new_rows, 1);
  EXPECT_EQ(summary->events_queued, 0);
}

}  // namespace
}  // namespace costwatch::store
