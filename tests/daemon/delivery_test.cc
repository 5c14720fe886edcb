// The delivery engine's per-sink summary, on a real state database in a scratch directory.
#include "daemon/delivery.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <deque>
#include <filesystem>

namespace costwatch::daemon {
namespace {

using Clock = std::chrono::system_clock;

// Answers each deliver() with the next scripted outcome (delivered once the script is done).
class ScriptedSink final : public sinks::Sink {
 public:
  ScriptedSink(std::string name, std::deque<sinks::Outcome> script)
      : name_(std::move(name)), script_(std::move(script)) {}
  [[nodiscard]] std::string_view name() const override { return name_; }
  sinks::DeliveryResult deliver(std::span<const sinks::EventRecord>) override {
    if (script_.empty()) return {};
    const sinks::Outcome outcome = script_.front();
    script_.pop_front();
    return {outcome, "scripted", std::nullopt};
  }

 private:
  std::string name_;
  std::deque<sinks::Outcome> script_;
};

TEST(DeliveryEngineTest, SummarisesEachSinkThatHadSomethingToDo) {
  std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-delivery-XXXXXX");
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path directory = pattern;
  {
    auto store = store::StateStore::Open(directory / "state.db");
    ASSERT_TRUE(store.ok()) << store.error().message;
    const auto now = Clock::now();
    std::vector<store::RowRecord> rows;
    for (const char* day : {"2026-11-01", "2026-11-02", "2026-11-03"}) {
      rows.push_back(
          {"DAILY", day, std::string("[\"") + day + "\"]", std::string("id-") + day, "{}", false});
    }
    const std::vector<std::string> queues = {"good", "flaky", "picky", "idle"};
    ASSERT_TRUE(
        store->record_fetch("s", "2026-11-01", "2026-11-04", rows, std::span(queues).first(3), now)
            .ok());
    std::vector<std::unique_ptr<sinks::Sink>> sinks;
    sinks.push_back(std::make_unique<ScriptedSink>("good", std::deque<sinks::Outcome>{}));
    sinks.push_back(std::make_unique<ScriptedSink>(
        "flaky", std::deque<sinks::Outcome>{sinks::Outcome::kDelivered, sinks::Outcome::kRetry}));
    sinks.push_back(std::make_unique<ScriptedSink>(
        "picky", std::deque<sinks::Outcome>{sinks::Outcome::kRejected}));
    sinks.push_back(std::make_unique<ScriptedSink>("idle", std::deque<sinks::Outcome>{}));
    DeliveryEngine engine(
        *store, std::move(sinks), DeliveryPolicy{}, [now] { return now; }, [] { return 0.5; });
    const std::atomic<bool> stop{false};
    auto summary = engine.drain(stop);
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    EXPECT_EQ(summary->delivered, 3 + 1 + 2);
    EXPECT_EQ(summary->retried, 1);  // flaky: the second waits, the third with it untried
    EXPECT_EQ(summary->dead_lettered, 1);
    ASSERT_EQ(summary->by_sink.size(), 3U);  // idle had nothing to do
    const auto& flaky = summary->by_sink.at("flaky");
    EXPECT_EQ(flaky.delivered, 1);
    EXPECT_EQ(flaky.retried, 1);
    EXPECT_EQ(flaky.dead_lettered, 0);
    EXPECT_EQ(summary->by_sink.at("good").delivered, 3);
    EXPECT_EQ(summary->by_sink.at("picky").dead_lettered, 1);
    EXPECT_EQ(summary->by_sink.at("picky").delivered, 2);
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace costwatch::daemon
