#include "sinks/http/http_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

namespace costwatch::sinks {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;
using ::testing::HasSubstr;
using ::testing::Not;

// Records requests and answers them from a script.
class ScriptedClient : public http::Client {
 public:
  explicit ScriptedClient(std::vector<http::Request>* sent) : sent_(sent) {}
  std::deque<Result<http::Response>> answers;
  Result<http::Response> send(const http::Request& request) override {
    sent_->push_back(request);
    if (answers.empty()) return http::Response{200, {}, ""};
    auto answer = std::move(answers.front());
    answers.pop_front();
    return answer;
  }

 private:
  std::vector<http::Request>* sent_;
};

http::Response Status(long status, std::vector<http::Header> headers = {}, std::string body = {}) {
  return http::Response{status, std::move(headers), std::move(body)};
}

const system_clock::time_point kNow =
    std::chrono::sys_days(std::chrono::year(2024) / std::chrono::January / 1);

TEST(RetryAfterTest, SecondsAndHttpDates) {
  EXPECT_EQ(ParseRetryAfter("7", kNow), milliseconds(7000));
  EXPECT_EQ(ParseRetryAfter(" 0 ", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("Mon, 01 Jan 2024 00:00:30 GMT", kNow), milliseconds(30000));
  EXPECT_EQ(ParseRetryAfter("Sun, 31 Dec 2023 23:00:00 GMT", kNow), milliseconds(0));
  EXPECT_EQ(ParseRetryAfter("-1", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("7s", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("99999999999999", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Mon, 32 Jan 2024 00:00:30 GMT", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Mon, 01 Foo 2024 00:00:30 GMT", kNow), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("", kNow), std::nullopt);
}

TEST(ClassifyTest, StatusesToOutcomes) {
  for (long s : {200L, 201L, 202L, 204L})
    EXPECT_EQ(ClassifyResponse(Status(s), kNow).outcome, Outcome::kDelivered) << s;
  for (long s : {500L, 502L, 503L, 504L, 429L, 408L, 301L, 100L})
    EXPECT_EQ(ClassifyResponse(Status(s), kNow).outcome, Outcome::kRetry) << s;
  for (long s : {400L, 401L, 403L, 404L, 413L, 415L, 422L})
    EXPECT_EQ(ClassifyResponse(Status(s), kNow).outcome, Outcome::kRejected) << s;
  const auto transport = ClassifyResponse(Fail("timed out: after 10000 ms"), kNow);
  EXPECT_EQ(transport.outcome, Outcome::kRetry);
  EXPECT_THAT(transport.message, HasSubstr("timed out"));
}

TEST(ClassifyTest, RetryAfterOnlyWhenRetrying) {
  const auto throttled = ClassifyResponse(Status(429, {{"retry-after", "7"}}), kNow);
  EXPECT_EQ(throttled.outcome, Outcome::kRetry);
  EXPECT_EQ(throttled.retry_after, milliseconds(7000));
  const auto unavailable =
      ClassifyResponse(Status(503, {{"Retry-After", "Mon, 01 Jan 2024 00:01:00 GMT"}}), kNow);
  EXPECT_EQ(unavailable.retry_after, milliseconds(60000));
  EXPECT_EQ(ClassifyResponse(Status(400, {{"Retry-After", "7"}}), kNow).retry_after, std::nullopt);
  EXPECT_EQ(ClassifyResponse(Status(500), kNow).retry_after, std::nullopt);
}

SecretScrubber Secrets(std::string_view secret) {
  SecretScrubber secrets;
  secrets.Add(secret);
  return secrets;
}

TEST(ClassifyTest, MessageQuotesBodyButNoSecret) {
  const auto r =
      ClassifyResponse(Status(401, {}, "bad token Bearer s3cr3t-t0ken\n" + std::string(500, 'x')),
                       kNow, Secrets("Bearer s3cr3t-t0ken"));
  EXPECT_THAT(r.message, HasSubstr("HTTP 401: bad token [redacted]"));
  EXPECT_THAT(r.message, Not(HasSubstr("s3cr3t")));
  EXPECT_LT(r.message.size(), 250U);
}

struct Fixture {
  std::vector<http::Request> sent;
  ScriptedClient* client = nullptr;
  std::unique_ptr<HttpSink> sink;
  Fixture(HttpMode mode, size_t batch = 100) {
    HttpSinkOptions o;
    o.url = "https://receiver.example/events";
    o.mode = mode;
    o.batch_size = batch;
    o.headers = {{"Authorization", "Bearer s3cr3t-t0ken"}, {"X-Tenant", "acme"}};
    auto c = std::make_unique<ScriptedClient>(&sent);
    client = c.get();
    auto made = HttpSink::Create("hook", std::move(o), std::move(c));
    EXPECT_TRUE(made.ok());
    sink = std::move(*made);
  }
};

const std::vector<EventRecord> kEvents = {
    {"a", R"({"specversion":"1.0","id":"a","source":"s","type":"t","data":{"n":1}})"},
    {"b", R"({"specversion":"1.0","id":"b","source":"s","type":"t","data":{"n":2}})"},
    {"c", R"({"specversion":"1.0","id":"c","source":"s","type":"t","data":{"n":3}})"}};

TEST(HttpSinkTest, StructuredSendsOneRequestPerEventWithConfiguredHeaders) {
  Fixture f(HttpMode::kStructured);
  EXPECT_EQ(f.sink->name(), "hook");
  EXPECT_EQ(f.sink->max_batch(), 1U);
  EXPECT_EQ(f.sink->deliver(kEvents).outcome, Outcome::kDelivered);
  ASSERT_EQ(f.sent.size(), 3U);
  EXPECT_EQ(f.sent[0].method, "POST");
  EXPECT_EQ(f.sent[0].url, "https://receiver.example/events");
  EXPECT_EQ(f.sent[1].body, kEvents[1].json);
  EXPECT_EQ(f.sent[2].header("authorization"), "Bearer s3cr3t-t0ken");
  EXPECT_EQ(f.sent[2].header("X-Tenant"), "acme");
  EXPECT_EQ(f.sent[2].header("Content-Type"), "application/cloudevents+json; charset=utf-8");
}

TEST(HttpSinkTest, EchoedTokenIsScrubbedBareAndBeforeTheCut) {
  Fixture f(HttpMode::kStructured);
  // The bare token, without its "Bearer " prefix.
  f.client->answers.emplace_back(Status(401, {}, "unknown token s3cr3t-t0ken"));
  auto r = f.sink->deliver(kEvents);
  EXPECT_EQ(r.outcome, Outcome::kRejected);
  EXPECT_EQ(r.message, "HTTP 401: unknown token [redacted]");
  // The token straddles the 200 bytes the message quotes: no prefix of it may survive the cut.
  f.client->answers.emplace_back(Status(400, {}, std::string(185, '.') + " token=s3cr3t-t0ken"));
  r = f.sink->deliver(kEvents);
  EXPECT_THAT(r.message, Not(HasSubstr("s3cr")));
  EXPECT_THAT(r.message, HasSubstr("token=[redacte"));
}

TEST(HttpSinkTest, BinaryStopsAtTheFirstFailure) {
  Fixture f(HttpMode::kBinary);
  f.client->answers.emplace_back(Status(204));
  f.client->answers.emplace_back(Status(503, {{"Retry-After", "2"}}));
  const auto r = f.sink->deliver(kEvents);
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_EQ(r.retry_after, milliseconds(2000));
  ASSERT_EQ(f.sent.size(), 2U);
  EXPECT_EQ(f.sent[1].header("ce-id"), "b");
  EXPECT_EQ(f.sent[1].body, R"({"n":2})");
  EXPECT_EQ(f.sent[1].header("Authorization"), "Bearer s3cr3t-t0ken");
}

TEST(HttpSinkTest, BinaryRejectsAnEventThatIsNoCloudEvent) {
  Fixture f(HttpMode::kBinary);
  const std::vector<EventRecord> bad = {{"z", "[]"}};
  EXPECT_EQ(f.sink->deliver(bad).outcome, Outcome::kRejected);
  EXPECT_TRUE(f.sent.empty());
}

TEST(HttpSinkTest, BatchSendsOneArray) {
  Fixture f(HttpMode::kBatch, 50);
  EXPECT_EQ(f.sink->max_batch(), 50U);
  f.client->answers.emplace_back(Status(400, {}, "schema says no"));
  const auto r = f.sink->deliver(kEvents);
  EXPECT_EQ(r.outcome, Outcome::kRejected);
  EXPECT_EQ(r.message, "HTTP 400: schema says no");
  ASSERT_EQ(f.sent.size(), 1U);
  EXPECT_EQ(f.sent[0].body, "[" + std::string(kEvents[0].json) + "," +
                                std::string(kEvents[1].json) + "," + std::string(kEvents[2].json) +
                                "]");
  EXPECT_EQ(f.sent[0].header("Content-Type"), "application/cloudevents-batch+json; charset=utf-8");
}

TEST(HttpSinkTest, ConfiguredHeadersDoNotReplaceTheBindings) {
  std::vector<http::Request> sent;
  HttpSinkOptions o;
  o.url = "http://x/";
  o.headers = {{"content-type", "text/plain"}};
  auto sink = HttpSink::Create("h", o, std::make_unique<ScriptedClient>(&sent));
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ((*sink)->deliver({kEvents.data(), 1}).outcome, Outcome::kDelivered);
  ASSERT_EQ(sent[0].headers.size(), 1U);
  EXPECT_EQ(sent[0].header("Content-Type"), "application/cloudevents+json; charset=utf-8");
}

TEST(HttpSinkTest, RefusesBadOptionsWithoutQuotingValues) {
  const auto make = [](HttpSinkOptions o) { return HttpSink::Create("h", std::move(o)); };
  HttpSinkOptions o;
  o.url = "ftp://x";
  EXPECT_THAT(make(o).error().message, HasSubstr("sink h: url must start with http"));
  o.url = "https://user:hunter2@x/";
  EXPECT_THAT(make(o).error().message,
              HasSubstr("sink h: url: invalid URL: user information (user:password@) is not "
                        "allowed in a URL"));
  EXPECT_THAT(make(o).error().message, Not(HasSubstr("hunter2")));
  o.url = "https://x";
  o.mode = HttpMode::kBatch;
  o.batch_size = 0;
  EXPECT_FALSE(make(o).ok());
  o.batch_size = 10;
  o.headers = {{"Authorization", "Bearer secret\r\nX-Evil: 1"}};
  const auto bad_value = make(o);
  ASSERT_FALSE(bad_value.ok());
  EXPECT_THAT(bad_value.error().message, Not(HasSubstr("secret")));
  o.headers = {{"Bad Name", "v"}};
  EXPECT_FALSE(make(o).ok());
  o.headers = {};
  o.client_key = "key.pem";
  EXPECT_FALSE(make(o).ok());
  o.client_cert = "cert.pem";
  o.verify_tls = false;
  EXPECT_TRUE(make(o).ok());
}

}  // namespace
}  // namespace costwatch::sinks
