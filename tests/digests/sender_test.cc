// The daemon's digest sender on a real state database: a digest waits until its source is
// pulled through the period, is queued once per period (across restarts), and a daemon that
// was down catches up with the latest missed slot only.
#include "digests/sender.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "notify/digest_json.h"
#include "util/dates.h"

namespace costwatch::digests {
namespace {

using std::chrono::hours;

Clock::time_point At(const char* day, int hour) {
  return *ParseDate(day) + hours(hour);
}

class DigestSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-digest-XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto opened = store::StateStore::Open(dir_ / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
    config_.name = "morning";
    config_.source = "aws";
    config_.metric = "UnblendedCost";
    config_.at = hours(8);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Stores one row a day from `from` to `to` (exclusive) and moves the checkpoint to `to`.
  void Pull(const char* from, const char* to) {
    std::vector<store::RowRecord> rows;
    for (auto day = *ParseDate(from); day < *ParseDate(to); day += std::chrono::days(1)) {
      const std::string date = FormatDate(day);
      rows.push_back(
          {"DAILY", date, R"([["DIMENSION","SERVICE","EC2"]])", "id-" + date,
           R"({"data":{"date":")" + date +
               R"(","service":"EC2","estimated":false,"unblendedCost":{"amount":"1.5","unit":"USD"}}})",
           false});
    }
    auto recorded = store_->record_fetch("aws", from, to, rows, {}, At(to, 2));
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  DigestSender Sender() {
    return DigestSender(*store_, {config_}, {{"aws", SourceInfo{}}},
                        [](const DigestConfig&, const notify::Digest& digest) {
                          return std::vector<store::QueuedMessage>{
                              {"notifier:mail", digest.id, notify::DigestToJson(digest)}};
                        });
  }

  std::int64_t Queued() {
    auto depth = store_->outbox_depth("notifier:mail");
    EXPECT_TRUE(depth.ok());
    return depth.ok() ? *depth : -1;
  }

  std::filesystem::path dir_;
  std::optional<store::StateStore> store_;
  DigestConfig config_;
};

TEST_F(DigestSenderTest, WaitsForThePullThenQueuesOncePerPeriod) {
  Pull("2026-10-01", "2026-11-03");
  auto sender = Sender();
  auto report = sender.send_due(At("2026-11-04", 9));
  EXPECT_TRUE(report.errors.empty());
  EXPECT_TRUE(report.queued.empty());
  ASSERT_EQ(report.waiting.size(), 1U);
  EXPECT_EQ(report.waiting[0],
            "digest morning for 2026-11-03 waits until source aws is pulled through 2026-11-03");
  // Said once, not every minute.
  EXPECT_TRUE(sender.send_due(At("2026-11-04", 9)).waiting.empty());
  EXPECT_EQ(Queued(), 0);

  Pull("2026-11-03", "2026-11-05");
  report = sender.send_due(At("2026-11-04", 10));
  ASSERT_EQ(report.queued.size(), 1U) << (report.errors.empty() ? "" : report.errors[0]);
  EXPECT_EQ(report.queued[0], "morning for 2026-11-03 (1 message)");
  EXPECT_EQ(Queued(), 1);
  auto claimed = store_->claim("notifier:mail", 10, At("2026-11-04", 10));
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1U);
  auto digest = notify::ParseDigest((*claimed)[0].event_json);
  ASSERT_TRUE(digest.ok()) << digest.error().message;
  EXPECT_EQ(digest->id, "morning-2026-11-03");
  EXPECT_EQ(digest->figures[0].amount, "1.5");

  // Later the same day, and after a restart: nothing more.
  EXPECT_TRUE(sender.send_due(At("2026-11-04", 23)).queued.empty());
  EXPECT_TRUE(Sender().send_due(At("2026-11-04", 23)).queued.empty());
  EXPECT_EQ(Queued(), 1);
}

TEST_F(DigestSenderTest, ADaemonThatWasDownSendsTheLatestMissedSlotOnce) {
  Pull("2026-10-01", "2026-11-09");
  // Down from the 4th to the 8th at 12:00: the slots of the 5th to the 8th passed unseen.
  auto report = Sender().send_due(At("2026-11-08", 12));
  ASSERT_EQ(report.queued.size(), 1U);
  EXPECT_EQ(report.queued[0], "morning for 2026-11-07 (1 message)");
  EXPECT_TRUE(Sender().send_due(At("2026-11-08", 13)).queued.empty());
  EXPECT_EQ(Queued(), 1);
  auto latest = store_->latest_digests();
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 1U);
  EXPECT_EQ((*latest)[0], (std::pair<std::string, std::string>("morning", "2026-11-07")));
}

}  // namespace
}  // namespace costwatch::digests
