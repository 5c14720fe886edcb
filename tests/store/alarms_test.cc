#include <gtest/gtest.h>

#include <vector>

#include "store/state_store.h"
#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::Row;
using testing::TempDir;

AlarmState State(std::string state, TimePoint at, std::string amount = "12.5") {
  return AlarmState{"monthly",
                    "",
                    std::move(state),
                    at,
                    at,
                    at,
                    std::move(amount),
                    "10",
                    "USD",
                    "month-to-date 12.5 USD >= 10 USD"};
}

class AlarmStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(dir_.path() / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }
  TempDir dir_;
  std::optional<StateStore> store_;
};

TEST_F(AlarmStoreTest, RecordsStateHistoryAndNotificationsTogether) {
  const std::vector<QueuedMessage> messages = {{"notifier:mail", "n1", R"({"rule":"monthly"})"},
                                               {"events", "n1", R"({"id":"n1"})"}};
  COSTWATCH_ASSERT_OK(
      store_->record_alarm(State("ALARM", At(2026, 11, 3)), messages, At(2026, 11, 3)));
  auto states = store_->alarm_states();
  COSTWATCH_ASSERT_OK(states);
  ASSERT_EQ(states->size(), 1U);
  EXPECT_EQ((*states)[0].state, "ALARM");
  EXPECT_EQ((*states)[0].amount, "12.5");
  EXPECT_EQ((*states)[0].notified, At(2026, 11, 3));

  // The notification waits in the notifier's queue, with the retries every outbox entry gets.
  auto queued = store_->claim("notifier:mail", 10, At(2026, 11, 3));
  COSTWATCH_ASSERT_OK(queued);
  ASSERT_EQ(queued->size(), 1U);
  EXPECT_EQ((*queued)[0].event_id, "n1");
  auto events = store_->outbox_depth("events");
  COSTWATCH_ASSERT_OK(events);
  EXPECT_EQ(*events, 1);

  auto history = store_->alarm_history(10);
  COSTWATCH_ASSERT_OK(history);
  ASSERT_EQ(history->size(), 1U);
  EXPECT_EQ((*history)[0].from_state, "INSUFFICIENT_DATA");
  EXPECT_EQ((*history)[0].to_state, "ALARM");
}

TEST_F(AlarmStoreTest, HistoryGrowsOnlyWhenTheStateChanges) {
  COSTWATCH_ASSERT_OK(store_->record_alarm(State("OK", At(2026, 11, 1), "1"), {}, At(2026, 11, 1)));
  COSTWATCH_ASSERT_OK(store_->record_alarm(State("OK", At(2026, 11, 1), "2"), {}, At(2026, 11, 2)));
  COSTWATCH_ASSERT_OK(
      store_->record_alarm(State("ALARM", At(2026, 11, 3), "11"), {}, At(2026, 11, 3)));
  auto history = store_->alarm_history(10, "monthly");
  COSTWATCH_ASSERT_OK(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].from_state, "OK");  // newest first
  EXPECT_EQ((*history)[0].to_state, "ALARM");
  EXPECT_EQ((*history)[0].amount, "11");
  auto other = store_->alarm_history(10, "another-rule");
  COSTWATCH_ASSERT_OK(other);
  EXPECT_TRUE(other->empty());
}

TEST_F(AlarmStoreTest, ReadsRowsOfAWindowInPeriodOrder) {
  const std::vector<RowRecord> rows = {Row("2026-11-02", "EC2", "b"), Row("2026-10-31", "EC2", "a"),
                                       Row("2026-11-01", "RDS", "c"),
                                       Row("2026-12-01", "EC2", "d")};
  const std::vector<std::string> sinks = {"events"};
  COSTWATCH_ASSERT_OK(
      store_->record_fetch("aws", "2026-10-31", "2026-12-02", rows, sinks, At(2026, 12, 2)));
  auto november = store_->rows("aws", "DAILY", "2026-11-01", "2026-12-01");
  COSTWATCH_ASSERT_OK(november);
  ASSERT_EQ(november->size(), 2U);
  EXPECT_EQ((*november)[0].period_start, "2026-11-01");
  EXPECT_EQ((*november)[1].period_start, "2026-11-02");
  auto other_source = store_->rows("gcp", "DAILY", "2026-11-01", "2026-12-01");
  COSTWATCH_ASSERT_OK(other_source);
  EXPECT_TRUE(other_source->empty());
}

TEST_F(AlarmStoreTest, KeepsOneForecastPerQueryAndRemembersUnavailableOnes) {
  auto missing = store_->cached_forecast("q", "2026-11-03");
  COSTWATCH_ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
  COSTWATCH_ASSERT_OK(store_->cache_forecast("q", "2026-11-03", {"41.25", "USD"}));
  COSTWATCH_ASSERT_OK(store_->cache_forecast("q", "2026-11-04", {std::nullopt, ""}));
  auto old_day = store_->cached_forecast("q", "2026-11-03");
  COSTWATCH_ASSERT_OK(old_day);
  EXPECT_FALSE(old_day->has_value());  // replaced by the newer answer
  auto unavailable = store_->cached_forecast("q", "2026-11-04");
  COSTWATCH_ASSERT_OK(unavailable);
  ASSERT_TRUE(unavailable->has_value());
  EXPECT_FALSE((*unavailable)->amount.has_value());
}

TEST_F(AlarmStoreTest, AnInspectingReaderSeesTheAlarmsButCannotWrite) {
  COSTWATCH_ASSERT_OK(store_->record_alarm(State("ALARM", At(2026, 11, 3)), {}, At(2026, 11, 3)));
  auto reader = StateStore::Open(dir_.path() / "state.db", OpenMode::kInspect);
  COSTWATCH_ASSERT_OK(reader);
  auto states = reader->alarm_states();
  COSTWATCH_ASSERT_OK(states);
  EXPECT_EQ(states->size(), 1U);
  EXPECT_FALSE(reader->record_alarm(State("OK", At(2026, 11, 4)), {}, At(2026, 11, 4)).ok());
}

}  // namespace
}  // namespace costwatch::store
