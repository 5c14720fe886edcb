#include "notify/notification_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;
using testing::SampleNotification;

void ExpectSame(const Notification& a, const Notification& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.rule, b.rule);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.previous_state, b.previous_state);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.reminder, b.reminder);
  EXPECT_EQ(a.test, b.test);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.scope, b.scope);
  EXPECT_EQ(a.amount, b.amount);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.period_start, b.period_start);
  EXPECT_EQ(a.period_end, b.period_end);
  EXPECT_EQ(a.forecast, b.forecast);
  ASSERT_EQ(a.top.size(), b.top.size());
  for (size_t i = 0; i < a.top.size(); ++i) {
    EXPECT_EQ(a.top[i].name, b.top[i].name);
    EXPECT_EQ(a.top[i].amount, b.top[i].amount);
  }
  EXPECT_EQ(a.time, b.time);
}

TEST(NotificationJson, ExactShape) {
  Notification n;
  n.id = "i";
  n.rule = "r";
  n.kind = "budget";
  n.previous_state = "ALARM";
  n.state = "OK";
  n.reminder = true;
  n.amount = "-0.0000001";
  n.threshold = "1e3";
  n.unit = "USD";
  n.period_start = "2026-11-01";
  n.period_end = "2026-12-01";
  n.top = {{"a\"b", "1"}};
  n.time = "2026-11-29T00:00:00Z";
  EXPECT_EQ(
      NotificationToJson(n),
      R"({"id":"i","rule":"r","kind":"budget","previousState":"ALARM","state":"OK",)"
      R"("reminder":true,"test":false,"title":"","reason":"","scope":"","amount":"-0.0000001",)"
      R"("threshold":"1e3","unit":"USD","periodStart":"2026-11-01","periodEnd":"2026-12-01",)"
      R"("forecast":null,"top":[{"name":"a\"b","amount":"1"}],"time":"2026-11-29T00:00:00Z"})");
}

TEST(NotificationJson, RoundTripIsExact) {
  Notification n = SampleNotification();
  n.test = true;
  const std::string json = NotificationToJson(n);
  EXPECT_EQ(json.find('\n'), std::string::npos) << "one line";
  auto parsed = ParseNotification(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ExpectSame(*parsed, n);
  EXPECT_EQ(NotificationToJson(*parsed), json);

  n.forecast.reset();
  n.top.clear();
  auto again = ParseNotification(NotificationToJson(n));
  ASSERT_TRUE(again.ok()) << again.error().message;
  ExpectSame(*again, n);
}

TEST(NotificationJson, UnknownMembersAreIgnoredAndEscapesDecoded) {
  std::string json = NotificationToJson(SampleNotification());
  json.insert(1, R"("fromTheFuture":{"x":[1,2]},)");
  auto parsed = ParseNotification(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->top[2].name, "Tab\tand\nnewline \"quoted\" \\ 日本語 😀");
  auto escaped = ParseNotification(std::string(json).replace(json.find(R"("rule":"monthly-10usd")"),
                                                             22, R"("rule":"monthly\u002d10usd")"));
  ASSERT_TRUE(escaped.ok()) << escaped.error().message;
  EXPECT_EQ(escaped->rule, "monthly-10usd");
}

TEST(NotificationJson, BadInputSaysWhatIsWrong) {
  const std::string good = NotificationToJson(SampleNotification());
  const auto error = [](std::string_view json) {
    auto parsed = ParseNotification(json);
    return parsed.ok() ? std::string("(parsed)") : parsed.error().message;
  };
  EXPECT_THAT(error(""), HasSubstr("not valid JSON"));
  EXPECT_THAT(error("{\"id\":"), HasSubstr("not valid JSON"));
  EXPECT_THAT(error("[]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(error(good + "x"), HasSubstr("not valid JSON"));
  EXPECT_THAT(error("{\"id\":\"\xff\"}"), HasSubstr("not valid JSON"));
  EXPECT_THAT(error(R"({"id":"x"})"), HasSubstr("\"rule\" is missing"));

  std::string wrong_type = good;
  wrong_type.replace(wrong_type.find(R"("amount":"12.40")"), 16, R"("amount":12.40)");
  EXPECT_THAT(error(wrong_type), HasSubstr("\"amount\" must be a string"));
  std::string wrong_flag = good;
  wrong_flag.replace(wrong_flag.find(R"("test":false)"), 12, R"("test":"no")");
  EXPECT_THAT(error(wrong_flag), HasSubstr("\"test\" must be true or false"));
  std::string wrong_forecast = good;
  wrong_forecast.replace(wrong_forecast.find(R"("forecast":"15.75")"), 18, R"("forecast":1)");
  EXPECT_THAT(error(wrong_forecast), HasSubstr("\"forecast\" must be a string or null"));
  std::string bad_top = good;
  bad_top.replace(bad_top.find(R"({"name":"Amazon Elastic)"), 8, R"({"nom":)");
  EXPECT_THAT(error(bad_top), HasSubstr("top[]"));
  std::string twice = good;
  twice.insert(1, R"("state":"OK",)");
  EXPECT_THAT(error(twice), HasSubstr("\"state\" twice"));
}

}  // namespace
}  // namespace costwatch::notify
