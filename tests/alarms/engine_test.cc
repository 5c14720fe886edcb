#include "alarms/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>

namespace costwatch::alarms {
namespace {

using ::testing::HasSubstr;
using TimePoint = store::TimePoint;

TimePoint At(int year, unsigned month, unsigned day, int hour = 0) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / month / day} + hours{hour};
}

store::RowRecord Row(const std::string& day, const std::string& service,
                     const std::string& amount) {
  const std::string json = R"({"id":"x","data":{"date":")" + day + R"(","service":")" + service +
                           R"(","estimated":false,"unblendedCost":{"amount":")" + amount +
                           R"(","unit":"USD"}}})";
  return store::RowRecord{"DAILY", day, service, day + service + amount, json, false};
}

class AlarmEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-engine-XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    auto opened = store::StateStore::Open(dir_ / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Fetch(std::vector<store::RowRecord> rows, TimePoint now, const std::string& from,
             const std::string& to) {
    const std::vector<std::string> sinks;
    auto recorded = store_->record_fetch("aws", from, to, rows, sinks, now);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  AlarmEngine Engine(std::optional<std::chrono::seconds> remind = std::nullopt) {
    RuleConfig rule;
    rule.name = "monthly";
    rule.source = "aws";
    rule.metric = "UnblendedCost";
    rule.kind = RuleKind::kMonthToDate;
    rule.threshold = *Decimal::Parse("10");
    rule.remind_every = remind;
    return EngineFor({rule});
  }

  AlarmEngine EngineFor(const std::vector<RuleConfig>& rules) {
    std::vector<RuleSetup> setups;
    for (const auto& rule : rules) setups.push_back({rule, "DAILY"});
    auto router = [this](const RuleConfig&, const notify::Notification& n) {
      sent_.push_back(n);
      return std::vector<store::QueuedMessage>{{"notifier:mail", n.id, n.title}};
    };
    return AlarmEngine(*store_, setups, router, nullptr);
  }

  std::map<std::string, std::string> States() {
    std::map<std::string, std::string> states;
    auto stored = store_->alarm_states();
    EXPECT_TRUE(stored.ok());
    if (stored.ok()) {
      for (const auto& state : *stored) states[state.rule + "/" + state.alarm] = state.state;
    }
    return states;
  }

  std::filesystem::path dir_;
  std::optional<store::StateStore> store_;
  std::vector<notify::Notification> sent_;
};

TEST_F(AlarmEngineTest, NotifiesOnceWhenTheMonthCrossesTheThresholdAndOnceWhenItRecovers) {
  auto engine = Engine();
  Fetch({Row("2026-11-01", "EC2", "6")}, At(2026, 11, 2, 2), "2026-10-30", "2026-11-02");
  auto first = engine.evaluate("aws", At(2026, 11, 2, 2));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->evaluated, 1);
  EXPECT_TRUE(sent_.empty());  // a new alarm that starts OK is not news

  Fetch({Row("2026-11-01", "EC2", "6"), Row("2026-11-02", "RDS", "4.5")}, At(2026, 11, 3, 2),
        "2026-10-31", "2026-11-03");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 3, 2)).ok());
  ASSERT_EQ(sent_.size(), 1U);
  const notify::Notification alarm = sent_[0];  // a copy: sent_ grows below
  EXPECT_EQ(alarm.state, "ALARM");
  EXPECT_EQ(alarm.previous_state, "OK");
  EXPECT_EQ(alarm.amount, "10.50");
  EXPECT_EQ(alarm.threshold, "10");
  EXPECT_EQ(alarm.unit, "USD");
  EXPECT_EQ(alarm.period_start, "2026-11-01");
  EXPECT_EQ(alarm.period_end, "2026-12-01");
  EXPECT_EQ(alarm.title, "ALARM: monthly, 10.50 USD >= 10 USD");
  EXPECT_EQ(alarm.time, "2026-11-03T02:00:00Z");
  ASSERT_EQ(alarm.top.size(), 2U);
  EXPECT_EQ(alarm.top[0].name, "EC2");

  // The notification waits in the notifier's queue; the state and its history are stored.
  auto queued = store_->claim("notifier:mail", 10, At(2026, 11, 3, 2));
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 1U);
  EXPECT_EQ((*queued)[0].event_id, alarm.id);
  auto states = store_->alarm_states();
  ASSERT_TRUE(states.ok());
  EXPECT_EQ((*states)[0].state, "ALARM");
  EXPECT_EQ((*states)[0].amount, "10.5");  // exact in the database

  // The same figures again: no second notification.
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 3, 8)).ok());
  EXPECT_EQ(sent_.size(), 1U);

  // AWS restates RDS down: the alarm recovers and says so.
  Fetch({Row("2026-11-02", "RDS", "3.99")}, At(2026, 11, 4, 2), "2026-11-02", "2026-11-04");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 4, 2)).ok());
  ASSERT_EQ(sent_.size(), 2U);
  EXPECT_EQ(sent_[1].state, "OK");
  EXPECT_EQ(sent_[1].previous_state, "ALARM");
  EXPECT_EQ(sent_[1].amount, "9.99");
  EXPECT_NE(sent_[1].id, alarm.id);

  auto history = store_->alarm_history(10, "monthly");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 3U);  // new -> OK -> ALARM -> OK
}

TEST_F(AlarmEngineTest, RemindsAtTheIntervalWhileInAlarm) {
  auto engine = Engine(std::chrono::hours(24));
  Fetch({Row("2026-11-01", "EC2", "50")}, At(2026, 11, 2), "2026-11-01", "2026-11-02");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 2, 2)).ok());
  ASSERT_EQ(sent_.size(), 1U);
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 3, 1)).ok());  // 23 h later
  EXPECT_EQ(sent_.size(), 1U);
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 3, 2)).ok());  // 24 h later
  ASSERT_EQ(sent_.size(), 2U);
  EXPECT_TRUE(sent_[1].reminder);
  EXPECT_THAT(sent_[1].title, HasSubstr("Still ALARM"));
  EXPECT_NE(sent_[1].id, sent_[0].id);
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 3, 3)).ok());
  EXPECT_EQ(sent_.size(), 2U);  // the interval starts again at the reminder
}

TEST_F(AlarmEngineTest, ANeverPulledSourceIsInsufficientDataWithoutANotification) {
  auto engine = Engine();
  ASSERT_TRUE(engine.evaluate("", At(2026, 11, 3)).ok());
  EXPECT_TRUE(sent_.empty());
  auto states = store_->alarm_states();
  ASSERT_TRUE(states.ok());
  ASSERT_EQ(states->size(), 1U);
  EXPECT_EQ((*states)[0].state, "INSUFFICIENT_DATA");
}

TEST_F(AlarmEngineTest, RulesOfOtherSourcesAreLeftAlone) {
  auto engine = Engine();
  auto report = engine.evaluate("another-source", At(2026, 11, 3));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->evaluated, 0);
}

TEST_F(AlarmEngineTest, ATestNotificationCarriesTheRealFiguresAndIsMarked) {
  auto engine = Engine();
  Fetch({Row("2026-11-01", "EC2", "3.333")}, At(2026, 11, 2), "2026-11-01", "2026-11-02");
  auto test = engine.test_notification("monthly", At(2026, 11, 2, 5));
  ASSERT_TRUE(test.ok()) << test.error().message;
  EXPECT_EQ(test->first.name, "monthly");
  EXPECT_TRUE(test->second.test);
  EXPECT_EQ(test->second.amount, "3.33");
  EXPECT_THAT(test->second.title, HasSubstr("[TEST] OK: monthly"));
  // A test changes no state and queues nothing.
  EXPECT_TRUE(sent_.empty());
  auto states = store_->alarm_states();
  ASSERT_TRUE(states.ok());
  EXPECT_TRUE(states->empty());

  auto unknown = engine.test_notification("montly", At(2026, 11, 2, 5));
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message,
              HasSubstr("no alarm rule is named 'montly' (rules: monthly)"));
}

TEST_F(AlarmEngineTest, ABackfillOfAnOldRangeDoesNotMakeTheMonthUnknown) {
  auto engine = Engine();
  Fetch({Row("2026-11-01", "EC2", "50")}, At(2026, 11, 2), "2026-11-01", "2026-11-02");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 2, 2)).ok());
  ASSERT_EQ(sent_.size(), 1U);
  // The checkpoint now says 2025; the November row still proves November was pulled.
  Fetch({Row("2025-01-01", "EC2", "1")}, At(2026, 11, 2, 3), "2025-01-01", "2025-02-01");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 2, 4)).ok());
  EXPECT_EQ(sent_.size(), 1U);
  auto states = store_->alarm_states();
  ASSERT_TRUE(states.ok());
  EXPECT_EQ((*states)[0].state, "ALARM");
}

RuleConfig SpikeByService() {
  RuleConfig rule;
  rule.name = "spikes";
  rule.source = "aws";
  rule.metric = "UnblendedCost";
  rule.kind = RuleKind::kSpike;
  rule.by = SpikeBy::kService;
  rule.baseline_days = 4;
  rule.min_impact = *Decimal::Parse("5");
  return rule;
}

TEST_F(AlarmEngineTest, APerServiceRuleKeepsNoStaleAlarmsAndHearsWhenDataStops) {
  auto engine = EngineFor({SpikeByService()});
  // Only yesterday is known: the rule as a whole has too little data.
  Fetch({Row("2026-11-21", "EC2", "10")}, At(2026, 11, 22), "2026-11-21", "2026-11-22");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 22, 2)).ok());
  EXPECT_EQ(States(), (std::map<std::string, std::string>{{"spikes/", "INSUFFICIENT_DATA"}}));

  // With the baseline, one alarm per service, and the nameless placeholder is gone.
  Fetch({Row("2026-11-17", "EC2", "10"), Row("2026-11-18", "EC2", "10"),
         Row("2026-11-19", "RDS", "1"), Row("2026-11-20", "EC2", "10"),
         Row("2026-11-21", "EC2", "20")},
        At(2026, 11, 22, 3), "2026-11-17", "2026-11-22");
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 22, 4)).ok());
  EXPECT_EQ(States(),
            (std::map<std::string, std::string>{{"spikes/EC2", "ALARM"}, {"spikes/RDS", "OK"}}));
  ASSERT_EQ(sent_.size(), 1U);  // EC2: 20 against a mean of 7.5
  EXPECT_EQ(sent_[0].rule, "spikes");

  // Two days later nothing new was pulled: every alarm is unknown, and the ALARM says so.
  ASSERT_TRUE(engine.evaluate("aws", At(2026, 11, 24, 2)).ok());
  EXPECT_EQ(States(), (std::map<std::string, std::string>{{"spikes/EC2", "INSUFFICIENT_DATA"},
                                                          {"spikes/RDS", "INSUFFICIENT_DATA"}}));
  ASSERT_EQ(sent_.size(), 3U);  // both: out of ALARM, and OK turning unknown
  EXPECT_EQ(sent_[1].previous_state, "ALARM");
  EXPECT_EQ(sent_[1].state, "INSUFFICIENT_DATA");
  EXPECT_EQ(sent_[2].previous_state, "OK");
  EXPECT_EQ(sent_[2].state, "INSUFFICIENT_DATA");
}

TEST_F(AlarmEngineTest, AlarmsOfRulesTakenOutOfTheConfigAreForgotten) {
  Fetch({Row("2026-11-01", "EC2", "50")}, At(2026, 11, 2), "2026-11-01", "2026-11-02");
  ASSERT_TRUE(Engine().evaluate("aws", At(2026, 11, 2, 2)).ok());
  ASSERT_EQ(States().size(), 1U);
  ASSERT_TRUE(EngineFor({SpikeByService()}).evaluate("aws", At(2026, 11, 2, 3)).ok());
  EXPECT_FALSE(States().contains("monthly/"));
  auto history = store_->alarm_history(10, "monthly");
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 1U);  // the history stays
}

}  // namespace
}  // namespace costwatch::alarms
