// /api/alarms and /api/health against a state database written by the real StateStore, and
// the 400s of every API on parameters it does not take.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "dashboard/api_json.h"
#include "dashboard_test_support.h"

namespace costwatch::dashboard {
namespace {

config::SourceConfig Source(std::string name) {
  config::SourceConfig source;
  source.name = std::move(name);
  source.metrics = {"UnblendedCost"};
  return source;
}

using testing::At;
using testing::DashboardTest;
using testing::Number;
using testing::Text;

store::RowRecord Row(const std::string& day, const std::string& service) {
  return {"DAILY",
          day,
          R"([["DIMENSION","SERVICE",")" + service + R"("]])",
          "id-" + day + "-" + service,
          R"({"data":{"date":")" + day + R"(","service":")" + service +
              R"(","estimated":false,"unblendedCost":{"amount":"1.25","unit":"USD"}}})",
          false};
}

store::AlarmState State(std::string rule, std::string alarm, std::string state,
                        Clock::time_point at, std::string amount, std::string threshold) {
  return {std::move(rule), std::move(alarm),  std::move(state),     at,    at,
          std::nullopt,    std::move(amount), std::move(threshold), "USD", "the reason"};
}

alarms::RuleConfig Rule(std::string name, alarms::RuleKind kind) {
  alarms::RuleConfig rule;
  rule.name = std::move(name);
  rule.kind = kind;
  rule.source = "aws";
  rule.description = "for people";
  return rule;
}

class ApiTest : public DashboardTest {
 protected:
  void SetUp() override {
    DashboardTest::SetUp();
    context_.config.sources.push_back(Source("aws"));
    context_.config.sinks.push_back({"archive", sinks::FileSinkOptions{}});
    context_.config.sinks.push_back({"quiet", sinks::StdoutSinkOptions{}});
    context_.config.notifiers.push_back({"mail", notify::EmailOptions{}});
  }
};

TEST_F(ApiTest, AlarmsListEveryRuleWithItsStatesAndHistoryOldestFirst) {
  context_.config.alarms = {Rule("monthly", alarms::RuleKind::kMonthToDate),
                            Rule("budget", alarms::RuleKind::kBudget),
                            Rule("never-run", alarms::RuleKind::kSpike)};
  auto& store = Store();
  ASSERT_TRUE(
      store
          .record_alarm(State("monthly", "", "OK", At(2026, 11, 2), "4", "10"), {}, At(2026, 11, 2))
          .ok());
  ASSERT_TRUE(store
                  .record_alarm(State("monthly", "", "ALARM", At(2026, 11, 9), "10.5", "10"), {},
                                At(2026, 11, 9))
                  .ok());
  ASSERT_TRUE(store
                  .record_alarm(State("budget", "actual-80%", "OK", At(2026, 11, 3), "2", "80"), {},
                                At(2026, 11, 3))
                  .ok());
  ASSERT_TRUE(
      store.record_alarm(State("removed", "", "OK", At(2026, 11, 1), "0", "1"), {}, At(2026, 11, 1))
          .ok());

  const web::Response response = Get("/api/alarms");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto json = Json(response);
  EXPECT_EQ(Text(json["generatedAt"]), "2026-11-20T12:00:00Z");
  simdjson::dom::array rules = json["rules"];
  ASSERT_EQ(rules.size(), 4U);
  std::vector<std::string> names;
  for (auto rule : rules) names.push_back(Text(rule["name"]));
  EXPECT_EQ(names, (std::vector<std::string>{"monthly", "budget", "never-run", "removed"}));

  auto monthly = rules.at(0);
  EXPECT_EQ(Text(monthly["kind"]), "month_to_date");
  EXPECT_TRUE(monthly["configured"].get_bool().value());
  simdjson::dom::array alarms = monthly["alarms"];
  ASSERT_EQ(alarms.size(), 1U);
  auto alarm = alarms.at(0);
  EXPECT_EQ(Text(alarm["state"]), "ALARM");
  EXPECT_EQ(Text(alarm["amount"]), "10.5");
  EXPECT_EQ(Text(alarm["threshold"]), "10");
  EXPECT_EQ(Text(alarm["since"]), "2026-11-09T00:00:00Z");
  EXPECT_TRUE(alarm["notified"].is_null());
  simdjson::dom::array history = alarm["history"];
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(Text(history.at(0)["from"]), "INSUFFICIENT_DATA");
  EXPECT_EQ(Text(history.at(0)["to"]), "OK");
  EXPECT_EQ(Text(history.at(1)["from"]), "OK");
  EXPECT_EQ(Text(history.at(1)["to"]), "ALARM");
  EXPECT_EQ(Text(history.at(1)["amount"]), "10.5");
  EXPECT_EQ(Text(history.at(1)["at"]), "2026-11-09T00:00:00Z");

  EXPECT_EQ(Text(rules.at(1)["alarms"].at(0)["alarm"]), "actual-80%");
  EXPECT_EQ(rules.at(2)["alarms"].get_array().value().size(), 0U);  // not evaluated yet
  EXPECT_FALSE(rules.at(3)["configured"].get_bool().value());
}

TEST_F(ApiTest, HealthShowsQueuesSourcesAndPaidRequests) {
  auto& store = Store();
  const std::vector<store::RowRecord> rows = {Row("2026-11-18", "EC2"), Row("2026-11-18", "S3"),
                                              Row("2026-11-19", "EC2")};
  const std::vector<std::string> sinks = {"archive"};
  ASSERT_TRUE(
      store.record_fetch("aws", "2026-11-01", "2026-11-20", rows, sinks, At(2026, 11, 20, 2)).ok());
  auto claimed = store.claim("archive", 2, At(2026, 11, 20, 3));
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2U);
  const std::vector<std::int64_t> delivered = {(*claimed)[0].seq};
  const std::vector<std::int64_t> refused = {(*claimed)[1].seq};
  ASSERT_TRUE(store.mark_delivered("archive", delivered, At(2026, 11, 20, 3)).ok());
  ASSERT_TRUE(
      store.dead_letter("archive", refused, "HTTP 400: bad event", At(2026, 11, 20, 4)).ok());
  ASSERT_TRUE(store.add_requests("aws", 7, At(2026, 11, 3)).ok());
  ASSERT_TRUE(store.add_requests("aws", 5, At(2026, 11, 20, 1)).ok());
  ASSERT_TRUE(store.add_requests("aws", 100, At(2026, 10, 31)).ok());  // last month

  const web::Response response = Get("/api/health");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto json = Json(response);
  simdjson::dom::array queues = json["sinks"];
  ASSERT_EQ(queues.size(), 3U);  // archive, mail (notifier), quiet: by queue name
  auto archive = queues.at(0);
  EXPECT_EQ(Text(archive["name"]), "archive");
  EXPECT_EQ(Text(archive["kind"]), "sink");
  EXPECT_EQ(Number(archive["outboxDepth"]), 1);
  EXPECT_EQ(Number(archive["deadLetters"]), 1);
  EXPECT_EQ(Number(archive["delivered"]), 1);
  EXPECT_EQ(Text(archive["lastDelivery"]), "2026-11-20T03:00:00Z");
  EXPECT_EQ(Text(archive["oldestWaiting"]), "2026-11-20T02:00:00Z");
  auto mail = queues.at(1);
  EXPECT_EQ(Text(mail["name"]), "mail");
  EXPECT_EQ(Text(mail["kind"]), "notifier");
  EXPECT_EQ(Number(mail["outboxDepth"]), 0);
  EXPECT_TRUE(mail["lastDelivery"].is_null());
  EXPECT_TRUE(queues.at(2)["configured"].get_bool().value());

  simdjson::dom::array sources = json["sources"];
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(Text(sources.at(0)["lastFetch"]), "2026-11-20T02:00:00Z");
  EXPECT_EQ(Text(sources.at(0)["windowEnd"]), "2026-11-20");
  EXPECT_EQ(Number(sources.at(0)["rows"]), 3);

  auto paid = json["paidRequests"];
  EXPECT_EQ(Number(paid["today"]), 5);
  EXPECT_EQ(Number(paid["thisMonth"]), 12);
  EXPECT_EQ(Text(paid["todayCost"]), "0.05");
  EXPECT_EQ(Text(paid["monthCost"]), "0.12");
}

TEST_F(ApiTest, ASourceNeverFetchedHasNoCheckpoint) {
  Store();  // an empty database, as a daemon that has not pulled yet leaves it
  const auto json = Json(Get("/api/health"));
  auto source = json["sources"].at(0);
  EXPECT_EQ(Text(source["name"]), "aws");
  EXPECT_TRUE(source["lastFetch"].is_null());
  EXPECT_EQ(Number(source["fetches"]), 0);
}

TEST_F(ApiTest, UnknownParametersAreRefusedWithOneLineOfJson) {
  Store();
  for (const std::string path : {"/api/alarms", "/api/health", "/api/report"}) {
    SCOPED_TRACE(path);
    const web::Response response = Get(path, {{"mnth", "2026-11"}});
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(response.body.find('\n'), response.body.size() - 1);
    const auto json = Json(response);
    EXPECT_NE(Text(json["error"]).find("mnth"), std::string::npos);
  }
}

TEST_F(ApiTest, AMissingStateIsUnavailableNotACrash) {
  // No daemon has written the database yet: the reader never creates it.
  const web::Response response = Get("/api/health");
  EXPECT_EQ(response.status, 503);
  EXPECT_FALSE(Text(Json(response)["error"]).empty());
  EXPECT_FALSE(std::filesystem::exists(context_.state_path));
}

TEST_F(ApiTest, HandlersAnswerConcurrentlyBesideTheDaemonWriting) {
  auto& store = Store();
  web::Router router;
  AddRoutes(router, context_);
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  readers.reserve(4);
  for (int reader = 0; reader < 4; ++reader) {
    readers.emplace_back([&] {
      for (int request = 0; request < 20; ++request) {
        for (const char* path : {"/api/health", "/api/alarms", "/api/report"}) {
          if (router.Handle({"GET", path, {}}).status != 200) ++failures;
        }
      }
    });
  }
  // The daemon keeps writing through its own connection meanwhile.
  const std::vector<std::string> sinks = {"archive"};
  for (int day = 1; day <= 19; ++day) {
    const std::string date = std::string("2026-11-") + (day < 10 ? "0" : "") + std::to_string(day);
    const std::vector<store::RowRecord> rows = {Row(date, "EC2")};
    ASSERT_TRUE(
        store.record_fetch("aws", "2026-11-01", "2026-11-20", rows, sinks, At(2026, 11, 20, 2))
            .ok());
  }
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ErrorJsonTest, EscapesTheMessage) {
  EXPECT_EQ(ErrorJson("a \"b\"\n"), "{\"error\":\"a \\\"b\\\"\\n\"}\n");
}

}  // namespace
}  // namespace costwatch::dashboard
