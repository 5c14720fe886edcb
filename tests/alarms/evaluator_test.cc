#include "alarms/rules/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace costwatch::alarms {
namespace {

using std::chrono::days;
using ::testing::HasSubstr;

Decimal D(std::string_view text) {
  return *Decimal::Parse(text);
}

Day On(int y, unsigned m, unsigned d) {
  return Day(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

DayCost Cost(std::string day, std::string service, std::string amount, std::string account = "") {
  return DayCost{
      std::move(day), std::move(service), std::move(account), {}, D(amount), "USD", "", ""};
}

RuleConfig MonthToDate(std::string threshold) {
  RuleConfig rule;
  rule.name = "monthly";
  rule.kind = RuleKind::kMonthToDate;
  rule.threshold = D(threshold);
  return rule;
}

class FixedForecast : public ForecastSource {
 public:
  explicit FixedForecast(std::optional<Decimal> value) : value_(value) {}
  Result<std::optional<Decimal>> forecast(const RuleConfig&, Period period) override {
    ++calls;
    asked = period;
    return value_;
  }
  int calls = 0;
  Period asked{};

 private:
  std::optional<Decimal> value_;
};

TEST(MonthToDateRule, SumsTheMonthExactlyAndAlarmsAtTheThreshold) {
  // 0.1 + 0.2 + 9.7 is exactly 10: in double it is 9.999999999999998 and would not fire.
  const std::vector<DayCost> costs = {Cost("2026-10-31", "EC2", "500"),  // last month
                                      Cost("2026-11-01", "EC2", "0.1"),
                                      Cost("2026-11-02", "RDS", "0.2"),
                                      Cost("2026-11-03", "EC2", "9.7")};
  auto result = Evaluate(MonthToDate("10"), costs, On(2026, 11, 4), On(2026, 11, 3), nullptr);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->size(), 1U);
  const auto& alarm = (*result)[0];
  EXPECT_EQ(alarm.state, "ALARM");
  EXPECT_EQ(alarm.amount, D("10"));
  EXPECT_EQ(alarm.period.start, On(2026, 11, 1));
  EXPECT_EQ(alarm.period.end, On(2026, 12, 1));
  EXPECT_EQ(alarm.reason,
            "Month-to-date spend (all costs) is 10.00 USD, at or above the threshold of 10 USD.");
  ASSERT_EQ(alarm.top.size(), 2U);
  EXPECT_EQ(alarm.top[0].name, "EC2");
  EXPECT_EQ(alarm.top[0].amount, "9.80");
  EXPECT_EQ(alarm.top[1].amount, "0.20");

  auto below = Evaluate(MonthToDate("10.01"), costs, On(2026, 11, 4), On(2026, 11, 3), nullptr);
  ASSERT_TRUE(below.ok());
  EXPECT_EQ((*below)[0].state, "OK");
}

TEST(MonthToDateRule, CountsOnlyItsScope) {
  RuleConfig rule = MonthToDate("5");
  rule.scope.service = "RDS";
  const std::vector<DayCost> costs = {Cost("2026-11-01", "EC2", "100"),
                                      Cost("2026-11-02", "RDS", "4.99")};
  auto result = Evaluate(rule, costs, On(2026, 11, 3), On(2026, 11, 2), nullptr);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)[0].state, "OK");
  EXPECT_EQ((*result)[0].amount, D("4.99"));
  EXPECT_EQ((*result)[0].scope, "service RDS");
}

TEST(MonthToDateRule, IsInsufficientDataUntilTheMonthIsPulled) {
  auto never = Evaluate(MonthToDate("10"), {}, std::nullopt, On(2026, 11, 3), nullptr);
  ASSERT_TRUE(never.ok());
  EXPECT_EQ((*never)[0].state, "INSUFFICIENT_DATA");
  // Pulled up to the end of October only: November is unknown, not zero.
  auto old = Evaluate(MonthToDate("10"), {}, On(2026, 11, 1), On(2026, 11, 3), nullptr);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ((*old)[0].state, "INSUFFICIENT_DATA");
  // Pulled into November with no cost at all: zero, OK.
  auto empty = Evaluate(MonthToDate("10"), {}, On(2026, 11, 2), On(2026, 11, 3), nullptr);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)[0].state, "OK");
}

TEST(CalendarPeriods, MonthQuarterAndYear) {
  const auto q = CalendarPeriod(BudgetPeriod::kQuarter, On(2026, 11, 29));
  EXPECT_EQ(q.start, On(2026, 10, 1));
  EXPECT_EQ(q.end, On(2027, 1, 1));
  const auto y = CalendarPeriod(BudgetPeriod::kYear, On(2026, 2, 28));
  EXPECT_EQ(y.start, On(2026, 1, 1));
  EXPECT_EQ(y.end, On(2027, 1, 1));
  const auto m = CalendarPeriod(BudgetPeriod::kMonth, On(2024, 2, 29));
  EXPECT_EQ(m.end, On(2024, 3, 1));
}

RuleConfig Budget(std::string amount) {
  RuleConfig rule;
  rule.name = "budget";
  rule.kind = RuleKind::kBudget;
  rule.period = BudgetPeriod::kQuarter;
  rule.budget = D(amount);
  rule.thresholds = {
      {D("80"), Basis::kActual}, {D("100"), Basis::kActual}, {D("100"), Basis::kForecast}};
  return rule;
}

TEST(BudgetRule, EachThresholdIsAnAlarmOfItsOwn) {
  const std::vector<DayCost> costs = {Cost("2026-10-05", "EC2", "700"),
                                      Cost("2026-11-20", "EC2", "100.01"),
                                      Cost("2026-11-21", "EC2", "50")};  // today, still growing
  FixedForecast forecast(D("149.99"));
  auto result = Evaluate(Budget("1000"), costs, On(2026, 11, 22), On(2026, 11, 21), &forecast);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_EQ(result->size(), 3U);
  EXPECT_EQ((*result)[0].alarm, "actual-80%");
  EXPECT_EQ((*result)[0].state, "ALARM");  // 850.01 >= 800
  EXPECT_EQ((*result)[0].threshold, D("800"));
  EXPECT_EQ((*result)[0].amount, D("850.01"));
  EXPECT_THAT((*result)[0].reason, HasSubstr("850.01 USD, 85.0% of the budget of 1000 USD"));
  EXPECT_EQ((*result)[1].alarm, "actual-100%");
  EXPECT_EQ((*result)[1].state, "OK");
  // Forecast: 800.01 up to yesterday + 149.99 from today to the quarter's end = 950.00.
  EXPECT_EQ((*result)[2].alarm, "forecast-100%");
  EXPECT_EQ((*result)[2].amount, D("950.00"));
  EXPECT_EQ((*result)[2].forecast, D("950"));
  EXPECT_EQ((*result)[2].state, "OK");
  EXPECT_EQ(forecast.calls, 1);
  EXPECT_EQ(forecast.asked.start, On(2026, 11, 21));
  EXPECT_EQ(forecast.asked.end, On(2027, 1, 1));
}

TEST(BudgetRule, ForecastAtTheBudgetAlarmsAndTooLittleHistoryIsInsufficientData) {
  const std::vector<DayCost> costs = {Cost("2026-11-20", "EC2", "900")};
  FixedForecast forecast(D("100"));
  auto result = Evaluate(Budget("1000"), costs, On(2026, 11, 22), On(2026, 11, 21), &forecast);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)[2].state, "ALARM");
  FixedForecast unavailable(std::nullopt);
  auto none = Evaluate(Budget("1000"), costs, On(2026, 11, 22), On(2026, 11, 21), &unavailable);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)[2].state, "INSUFFICIENT_DATA");
  EXPECT_EQ((*none)[0].state, "ALARM");  // the actual thresholds do not need a forecast
}

TEST(BudgetRule, PercentagesOfOddBudgetsStayExact) {
  RuleConfig rule = Budget("333.33");
  rule.thresholds = {{D("33.3"), Basis::kActual}};
  const std::vector<DayCost> costs = {Cost("2026-11-20", "EC2", "110.998889")};
  auto result = Evaluate(rule, costs, On(2026, 11, 22), On(2026, 11, 21), nullptr);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)[0].threshold, D("110.998890"));  // 333.33 * 33.3 / 100, exactly
  EXPECT_EQ((*result)[0].state, "OK");                 // one millionth below
}

RuleConfig Spike(std::optional<std::string> percent, SpikeBy by = SpikeBy::kTotal) {
  RuleConfig rule;
  rule.name = "spikes";
  rule.kind = RuleKind::kSpike;
  rule.baseline_days = 4;
  rule.min_impact = D("10");
  if (percent) rule.min_percent = D(*percent);
  rule.by = by;
  return rule;
}

// Baseline days 2026-11-17..20 at 10 a day (mean 10), the day under test is 2026-11-21.
std::vector<DayCost> Baseline() {
  return {Cost("2026-11-17", "EC2", "10"), Cost("2026-11-18", "EC2", "10"),
          Cost("2026-11-19", "EC2", "10"), Cost("2026-11-20", "EC2", "10")};
}

TEST(SpikeRule, ADayFarAboveItsBaselineIsASpike) {
  auto costs = Baseline();
  costs.push_back(Cost("2026-11-21", "EC2", "20"));  // +10 = +100%
  auto result = Evaluate(Spike("100"), costs, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->size(), 1U);
  EXPECT_EQ((*result)[0].state, "ALARM");
  EXPECT_EQ((*result)[0].amount, D("20"));
  EXPECT_EQ((*result)[0].reason,
            "On 2026-11-21 all costs cost 20.00 USD, 10.00 USD (+100%) against its 4-day mean of "
            "10.00 USD: a spike (alarm at 10 USD and 100% above the mean).");

  costs.back() = Cost("2026-11-21", "EC2", "19.99");  // just under both limits
  auto under = Evaluate(Spike("100"), costs, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(under.ok());
  EXPECT_EQ((*under)[0].state, "OK");
}

TEST(SpikeRule, BothLimitsMustHold) {
  auto costs = Baseline();
  costs.push_back(Cost("2026-11-21", "EC2", "25"));  // +15 = +150%
  auto high_percent = Evaluate(Spike("200"), costs, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(high_percent.ok());
  EXPECT_EQ((*high_percent)[0].state, "OK");
  auto impact_only =
      Evaluate(Spike(std::nullopt), costs, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(impact_only.ok());
  EXPECT_EQ((*impact_only)[0].state, "ALARM");
}

TEST(SpikeRule, PerServiceAlarmsIncludingANewService) {
  auto costs = Baseline();
  costs.push_back(Cost("2026-11-21", "EC2", "11"));
  costs.push_back(Cost("2026-11-21", "SageMaker", "40"));  // never seen before
  auto result =
      Evaluate(Spike("50", SpikeBy::kService), costs, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->size(), 2U);
  EXPECT_EQ((*result)[0].alarm, "EC2");
  EXPECT_EQ((*result)[0].state, "OK");
  EXPECT_EQ((*result)[1].alarm, "SageMaker");
  EXPECT_EQ((*result)[1].state, "ALARM");
  EXPECT_EQ((*result)[1].scope, "service SageMaker");
}

TEST(SpikeRule, NeedsTheDayPulledAndHalfTheBaseline) {
  auto costs = Baseline();
  auto not_pulled = Evaluate(Spike("50"), costs, On(2026, 11, 21), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(not_pulled.ok());
  EXPECT_EQ((*not_pulled)[0].state, "INSUFFICIENT_DATA");
  const std::vector<DayCost> one_day = {Cost("2026-11-20", "EC2", "10"),
                                        Cost("2026-11-21", "EC2", "100")};
  auto short_history = Evaluate(Spike("50"), one_day, On(2026, 11, 22), On(2026, 11, 22), nullptr);
  ASSERT_TRUE(short_history.ok());
  EXPECT_EQ((*short_history)[0].state, "INSUFFICIENT_DATA");
  EXPECT_THAT((*short_history)[0].reason, HasSubstr("Only 1 of the 4 baseline days"));
}

TEST(DaysNeededByRules, CoverWhatEachRuleReads) {
  EXPECT_EQ(DaysNeeded(MonthToDate("1"), On(2026, 11, 29)).start, On(2026, 11, 1));
  EXPECT_EQ(DaysNeeded(MonthToDate("1"), On(2026, 11, 29)).end, On(2026, 11, 30));
  EXPECT_EQ(DaysNeeded(Budget("1"), On(2026, 11, 29)).start, On(2026, 10, 1));
  EXPECT_EQ(DaysNeeded(Spike("1"), On(2026, 11, 22)).start, On(2026, 11, 17));
  EXPECT_EQ(DaysNeeded(Spike("1"), On(2026, 11, 22)).end, On(2026, 11, 22));
}

}  // namespace
}  // namespace costwatch::alarms
