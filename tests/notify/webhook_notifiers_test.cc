// The three HTTP notifiers through a scripted http::Client: what they send and what the answers
// mean. The real HTTP exchange is tests/integration/test_notifiers.py.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "notify/notification_json.h"
#include "notify/notifier_factory.h"
#include "notify/slack/slack_notifier.h"
#include "notify/teams/teams_notifier.h"
#include "notify/webhook/webhook_notifier.h"
#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleNotification;

constexpr const char* kSlackUrl = "https://hooks.slack.com/services/T000/B000/s3cretPath";

class ScriptedClient : public http::Client {
 public:
  explicit ScriptedClient(std::vector<http::Request>* sent) : sent_(sent) {}
  std::deque<Result<http::Response>> answers;
  Result<http::Response> send(const http::Request& request) override {
    sent_->push_back(request);
    if (answers.empty()) return http::Response{200, {}, "ok"};
    auto answer = std::move(answers.front());
    answers.pop_front();
    return answer;
  }

 private:
  std::vector<http::Request>* sent_;
};

TEST(WebhookNotifier, PostsTheNotificationJsonWithTheConfiguredHeaders) {
  std::vector<http::Request> sent;
  WebhookOptions options;
  options.url = "https://alerts.example.com/costwatch";
  options.headers = {{"Authorization", "Bearer t0ken-xyz"}};
  auto notifier = MakeWebhookNotifier("pager", options, std::make_unique<ScriptedClient>(&sent));
  ASSERT_TRUE(notifier.ok()) << notifier.error().message;
  EXPECT_EQ((*notifier)->name(), "pager");
  const auto result = (*notifier)->send(SampleNotification());
  EXPECT_EQ(result.outcome, Outcome::kDelivered);
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].url, options.url);
  EXPECT_EQ(sent[0].header("Content-Type"), "application/json");
  EXPECT_EQ(sent[0].header("Authorization"), "Bearer t0ken-xyz");
  EXPECT_EQ(sent[0].body, NotificationToJson(SampleNotification()));
}

TEST(WebhookNotifier, AnswersToOutcomes) {
  std::vector<http::Request> sent;
  auto client = std::make_unique<ScriptedClient>(&sent);
  auto* script = client.get();
  script->answers.emplace_back(http::Response{202, {}, ""});
  script->answers.emplace_back(http::Response{500, {}, "echo Bearer t0ken-xyz"});
  script->answers.emplace_back(http::Response{429, {{"Retry-After", "7"}}, ""});
  script->answers.emplace_back(http::Response{400, {}, "bad"});
  script->answers.emplace_back(Fail("Could not resolve host: alerts.example.com"));
  WebhookOptions options;
  options.url = "https://alerts.example.com/costwatch";
  options.headers = {{"Authorization", "Bearer t0ken-xyz"}};
  auto notifier = MakeWebhookNotifier("pager", options, std::move(client));
  ASSERT_TRUE(notifier.ok());
  const Notification n = SampleNotification();
  EXPECT_EQ((*notifier)->send(n).outcome, Outcome::kDelivered);
  const auto server_error = (*notifier)->send(n);
  EXPECT_EQ(server_error.outcome, Outcome::kRetry);
  EXPECT_THAT(server_error.message, Not(HasSubstr("t0ken")));
  const auto throttled = (*notifier)->send(n);
  EXPECT_EQ(throttled.outcome, Outcome::kRetry);
  EXPECT_EQ(throttled.retry_after, std::chrono::milliseconds(7000));
  EXPECT_EQ((*notifier)->send(n).outcome, Outcome::kRejected);
  EXPECT_EQ((*notifier)->send(n).outcome, Outcome::kRetry);
}

TEST(ChatNotifiers, PostTheirPayloadsAndNeverQuoteTheWebhookUrl) {
  std::vector<http::Request> sent;
  auto client = std::make_unique<ScriptedClient>(&sent);
  client->answers.emplace_back(
      Fail(std::string("Failed to connect to ") + kSlackUrl + ": connection refused"));
  auto slack = MakeSlackNotifier("slack", {kSlackUrl}, std::move(client));
  ASSERT_TRUE(slack.ok());
  const auto failed = (*slack)->send(SampleNotification());
  EXPECT_EQ(failed.outcome, Outcome::kRetry);
  EXPECT_THAT(failed.message, Not(HasSubstr("s3cretPath")));
  EXPECT_EQ((*slack)->send(SampleNotification()).outcome, Outcome::kDelivered);
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[1].body, SlackPayload(SampleNotification()));
  EXPECT_EQ(sent[1].header("Content-Type"), "application/json");

  std::vector<http::Request> teams_sent;
  auto teams = MakeTeamsNotifier("teams", {"https://example.webhook.office.com/x/y"},
                                 std::make_unique<ScriptedClient>(&teams_sent));
  ASSERT_TRUE(teams.ok());
  EXPECT_EQ((*teams)->send(SampleNotification()).outcome, Outcome::kDelivered);
  ASSERT_EQ(teams_sent.size(), 1U);
  EXPECT_EQ(teams_sent[0].body, TeamsPayload(SampleNotification()));
}

TEST(ChatNotifiers, RefuseUserInformationInTheUrl) {
  const auto slack = MakeSlackNotifier("slack", {"https://u:hunter2@hooks.example.com/T/B/X"});
  ASSERT_FALSE(slack.ok());
  EXPECT_THAT(slack.error().message, HasSubstr("user information (user:password@) is not allowed"));
  EXPECT_THAT(slack.error().message, Not(HasSubstr("hunter2")));
}

TEST(NotifierFactory, BuildsTheSendingTypesAndLeavesTheEngineTypesToTheEngine) {
  EXPECT_TRUE(MakeNotifier({"slack", SlackOptions{kSlackUrl}}).ok());
  EXPECT_TRUE(MakeNotifier({"teams", TeamsOptions{kSlackUrl}}).ok());
  EXPECT_TRUE(MakeNotifier({"hook", WebhookOptions{"http://127.0.0.1:1/x", {}}}).ok());
  EmailOptions email;
  email.smtp_url = "smtps://smtp.example.com";
  email.from = "a@example.com";
  email.to = {"b@example.com"};
  EXPECT_TRUE(MakeNotifier({"mail", email}).ok());

  const NotifierConfig sns{"topic", SnsOptions{"arn:aws:sns:eu-west-1:123456789012:t", ""}};
  const NotifierConfig event{"events", CloudEventOptions{}};
  EXPECT_TRUE(BuiltByEngine(sns));
  EXPECT_TRUE(BuiltByEngine(event));
  EXPECT_FALSE(BuiltByEngine({"mail", email}));
  auto refused = MakeNotifier(sns);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("type sns is built by the alarm engine"));

  EngineBuilders engine;
  std::string built;
  engine.cloudevent = [&](const std::string& name,
                          const CloudEventOptions&) -> Result<std::unique_ptr<Notifier>> {
    built = name;
    return Fail("stand-in");
  };
  EXPECT_FALSE(MakeNotifier(event, engine).ok());
  EXPECT_EQ(built, "events");

  auto bad = MakeNotifier({"slack", SlackOptions{"hooks.slack.com/services/s3cret"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("notifier slack: webhook_url must be"));
  EXPECT_THAT(bad.error().message, Not(HasSubstr("s3cret")));
  auto header = MakeNotifier(
      {"hook", WebhookOptions{"https://x.example/", {{"Authorization", "a\r\nb-s3cret"}}}});
  ASSERT_FALSE(header.ok());
  EXPECT_THAT(header.error().message, Not(HasSubstr("s3cret")));
}

}  // namespace
}  // namespace costwatch::notify
