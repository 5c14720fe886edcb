#include "store_test_support.h"

namespace costwatch::store {
namespace {

using std::chrono::minutes;
using testing::At;
using testing::Ids;
using testing::RawDb;
using testing::Row;
using testing::Seqs;
using testing::TempDir;

class StoreOutbox : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(path_);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
    // Five events for two sinks, recorded at t0.
    std::vector<RowRecord> rows;
    for (const char* id : {"e1", "e2", "e3", "e4", "e5"}) {
      rows.push_back(Row("2024-03-01", id, id));
    }
    const std::vector<std::string> sinks = {"http", "file"};
    auto recorded = store_->record_fetch("ce", "2024-03-01", "2024-03-02", rows, sinks, t0_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  std::vector<OutboxEntry> Claim(std::string_view sink, size_t max, TimePoint now) {
    auto entries = store_->claim(sink, max, now);
    EXPECT_TRUE(entries.ok()) << entries.error().message;
    return entries.ok() ? *entries : std::vector<OutboxEntry>{};
  }

  TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "state.db";
  TimePoint t0_ = At(2024, 3, 2, 6);
  std::optional<StateStore> store_;
};

TEST_F(StoreOutbox, ClaimsOldestFirstAndNeverTheSameEntryTwice) {
  auto first = Claim("http", 2, t0_);
  EXPECT_EQ(Ids(first), (std::vector<std::string>{"e1", "e2"}));
  EXPECT_LT(first[0].seq, first[1].seq);
  EXPECT_EQ(first[0].attempts, 0);
  EXPECT_EQ(first[0].event_json, R"({"id":"e1","time":"2024-03-01T00:00:00Z"})");
  // Still in flight: the next claim continues after them.
  EXPECT_EQ(Ids(Claim("http", 2, t0_)), (std::vector<std::string>{"e3", "e4"}));
  // Each sink has its own queue.
  EXPECT_EQ(Ids(Claim("file", 10, t0_)), (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));
  EXPECT_TRUE(Claim("nosuchsink", 10, t0_).empty());
}

TEST_F(StoreOutbox, NothingIsDueBeforeItWasQueued) {
  EXPECT_TRUE(Claim("http", 10, t0_ - minutes(1)).empty());
}

TEST_F(StoreOutbox, DeliveredEntriesLeaveAndAreCounted) {
  auto batch = Claim("http", 3, t0_);
  COSTWATCH_ASSERT_OK(store_->mark_delivered("http", Seqs(batch), t0_ + minutes(1)));
  auto depth = store_->outbox_depth("http");
  COSTWATCH_ASSERT_OK(depth);
  EXPECT_EQ(*depth, 2);
  EXPECT_EQ(*store_->outbox_depth("file"), 5);
  EXPECT_EQ(Ids(Claim("http", 10, t0_)), (std::vector<std::string>{"e4", "e5"}));

  auto status = store_->status(t0_);
  COSTWATCH_ASSERT_OK(status);
  ASSERT_EQ(status->sinks.size(), 2U);
  const SinkStatus& http = status->sinks[1];
  EXPECT_EQ(http.sink, "http");
  EXPECT_EQ(http.delivered, 3);
  EXPECT_EQ(http.outbox_depth, 2);
  EXPECT_EQ(http.oldest_waiting, t0_);
  EXPECT_EQ(http.last_delivery, t0_ + minutes(1));
  EXPECT_FALSE(http.last_error);
  EXPECT_EQ(status->sinks[0].sink, "file");
  EXPECT_EQ(status->sinks[0].delivered, 0);
  EXPECT_FALSE(status->sinks[0].last_delivery);
}

TEST_F(StoreOutbox, MarksIgnoreAnotherSinksSeqs) {
  auto http = Claim("http", 1, t0_);
  COSTWATCH_ASSERT_OK(store_->mark_delivered("file", Seqs(http), t0_));
  EXPECT_EQ(*store_->outbox_depth("http"), 5);
  EXPECT_EQ(*store_->outbox_depth("file"), 5);
}

TEST_F(StoreOutbox, RetriesWaitForTheirTimeAndCountAttempts) {
  auto batch = Claim("http", 2, t0_);
  const TimePoint retry_at = t0_ + minutes(5);
  COSTWATCH_ASSERT_OK(
      store_->mark_retry("http", Seqs(batch), retry_at, "503 Service Unavailable", t0_));
  // FIFO: e1 and e2 wait, so nothing behind them is handed out before they are due.
  EXPECT_TRUE(Claim("http", 10, t0_ + minutes(4)).empty());
  auto again = Claim("http", 2, retry_at);
  EXPECT_EQ(Ids(again), (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(again[0].seq, batch[0].seq);  // the same entry, not a copy

  COSTWATCH_ASSERT_OK(store_->mark_retry("http", Seqs(again), retry_at + minutes(10),
                                         "connection refused", retry_at));
  auto third = Claim("http", 1, retry_at + minutes(10));
  ASSERT_EQ(third.size(), 1U);
  EXPECT_EQ(third[0].attempts, 2);

  RawDb raw(path_);
  EXPECT_EQ(raw.text("SELECT last_error FROM outbox WHERE event_id = 'e2' AND sink = 'http'"),
            "connection refused");
  auto status = store_->status(t0_);
  COSTWATCH_ASSERT_OK(status);
  EXPECT_EQ(status->sinks[1].last_error, "connection refused");
  EXPECT_EQ(status->sinks[1].last_error_at, retry_at);
}

TEST_F(StoreOutbox, RejectedEntriesBecomeDeadLettersAndStopBlockingTheQueue) {
  auto batch = Claim("http", 2, t0_);
  COSTWATCH_ASSERT_OK(
      store_->dead_letter("http", Seqs(batch), "400 Bad Request: schema", t0_ + minutes(1)));
  EXPECT_EQ(*store_->outbox_depth("http"), 3);
  EXPECT_EQ(Ids(Claim("http", 10, t0_)), (std::vector<std::string>{"e3", "e4", "e5"}));

  auto letters = store_->dead_letters(10);
  COSTWATCH_ASSERT_OK(letters);
  ASSERT_EQ(letters->size(), 2U);
  EXPECT_EQ((*letters)[0].event_id, "e2");  // newest first, then by seq descending
  EXPECT_EQ((*letters)[0].seq, batch[1].seq);
  EXPECT_EQ((*letters)[0].sink, "http");
  EXPECT_EQ((*letters)[0].reason, "400 Bad Request: schema");
  EXPECT_EQ((*letters)[0].attempts, 1);
  EXPECT_EQ((*letters)[0].failed_at, t0_ + minutes(1));
  EXPECT_EQ(store_->dead_letters(1)->size(), 1U);
  EXPECT_TRUE(store_->dead_letters(10, "file")->empty());

  auto status = store_->status(t0_);
  COSTWATCH_ASSERT_OK(status);
  EXPECT_EQ(status->sinks[1].dead_letters, 2);
  EXPECT_EQ(status->sinks[1].last_error, "400 Bad Request: schema");
}

TEST_F(StoreOutbox, ReplayedDeadLettersJoinTheEndOfTheQueue) {
  auto batch = Claim("http", 1, t0_);
  COSTWATCH_ASSERT_OK(store_->dead_letter("http", Seqs(batch), "400", t0_));
  auto replayed = store_->replay_dead_letters("http", t0_ + minutes(30));
  COSTWATCH_ASSERT_OK(replayed);
  EXPECT_EQ(*replayed, 1);
  EXPECT_TRUE(store_->dead_letters(10)->empty());
  auto all = Claim("http", 10, t0_ + minutes(30));
  EXPECT_EQ(Ids(all), (std::vector<std::string>{"e2", "e3", "e4", "e5", "e1"}));
  EXPECT_GT(all.back().seq, batch[0].seq);
  EXPECT_EQ(all.back().attempts, 0);
}

TEST_F(StoreOutbox, ClearedDeadLettersAreGone) {
  auto batch = Claim("http", 2, t0_);
  COSTWATCH_ASSERT_OK(store_->dead_letter("http", Seqs(batch), "400", t0_));
  auto cleared = store_->clear_dead_letters("http");
  COSTWATCH_ASSERT_OK(cleared);
  EXPECT_EQ(*cleared, 2);
  EXPECT_TRUE(store_->dead_letters(10)->empty());
}

TEST_F(StoreOutbox, ClaimsEndWithTheProcess) {
  EXPECT_EQ(Claim("http", 5, t0_).size(), 5U);
  store_.reset();  // a restart: nothing was marked, everything is still there
  auto reopened = StateStore::Open(path_);
  COSTWATCH_ASSERT_OK(reopened);
  auto entries = reopened->claim("http", 10, t0_);
  COSTWATCH_ASSERT_OK(entries);
  EXPECT_EQ(Ids(*entries), (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));
}

}  // namespace
}  // namespace costwatch::store
