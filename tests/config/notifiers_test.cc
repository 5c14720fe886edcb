// notifiers[]: every type, every key, the errors with their place, and secrets never quoted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/redact.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSinks;
using testing::kMinimalSources;
using ::testing::Not;
using testing::Problems;

// A file with sinks `out` and `archive` and these notifiers (lines 10 onwards).
CheckResult CheckNotifiers(const std::string& notifiers,
                           std::map<std::string, std::string> vars = {}) {
  return Check(std::string(kMinimalSources) + kMinimalSinks +
                   "  - name: archive\n    type: file\n    path: /tmp/x.jsonl\n"
                   "notifiers:\n" +
                   notifiers,
               std::move(vars));
}

TEST(ConfigNotifiers, TheSectionIsOptional) {
  auto result = Check(std::string(kMinimalSources) + kMinimalSinks);
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_TRUE(result.config.notifiers.empty());
}

TEST(ConfigNotifiers, EveryType) {
  auto result = CheckNotifiers(
      "  - name: mail\n"
      "    type: email\n"
      "    smtp_url: smtp://smtp.example.com:587\n"
      "    username: costwatch\n"
      "    password: ${SMTP_PASSWORD}\n"
      "    from: costwatch@example.com\n"
      "    to: [a@example.com, b@example.org]\n"
      "    ca_file: /etc/ssl/extra.pem\n"
      "    timeout: 45s\n"
      "  - name: mail-tls\n"
      "    type: email\n"
      "    smtp_url: smtps://smtp.example.com\n"
      "    from: costwatch@example.com\n"
      "    to: ops@example.com\n"
      "  - name: relay\n"
      "    type: email\n"
      "    smtp_url: smtp://localhost\n"
      "    starttls: none\n"
      "    from: costwatch@example.com\n"
      "    to: [ops@example.com]\n"
      "  - name: slack\n"
      "    type: slack\n"
      "    webhook_url: ${SLACK_URL}\n"
      "  - name: teams\n"
      "    type: teams\n"
      "    webhook_url: https://example.webhook.office.com/workflows/abc\n"
      "    timeout: 5s\n"
      "  - name: hook\n"
      "    type: webhook\n"
      "    url: https://alerts.example.com/in\n"
      "    headers:\n"
      "      Authorization: Bearer abcd\n"
      "  - name: events\n"
      "    type: cloudevent\n"
      "    sinks: [archive]\n"
      "    source: cloud.amazon.billing/alarms\n"
      "  - name: all-events\n"
      "    type: cloudevent\n"
      "  - name: topic\n"
      "    type: sns\n"
      "    topic_arn: arn:aws:sns:eu-west-1:123456789012:billing\n"
      "    profile: billing\n",
      {{"SMTP_PASSWORD", "pa55word"}, {"SLACK_URL", "https://hooks.slack.com/services/T/B/X"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& n = result.config.notifiers;
  ASSERT_EQ(n.size(), 9U);
  const auto& mail = std::get<notify::EmailOptions>(n[0].options);
  EXPECT_EQ(n[0].name, "mail");
  EXPECT_EQ(mail.smtp_url, "smtp://smtp.example.com:587");
  EXPECT_EQ(mail.starttls, notify::StartTls::kRequired);
  EXPECT_EQ(mail.username, "costwatch");
  EXPECT_EQ(mail.password, "pa55word");
  EXPECT_EQ(mail.to, (std::vector<std::string>{"a@example.com", "b@example.org"}));
  EXPECT_EQ(mail.ca_file, "/etc/ssl/extra.pem");
  EXPECT_EQ(mail.timeout, std::chrono::seconds(45));
  EXPECT_EQ(std::get<notify::EmailOptions>(n[1].options).to,
            std::vector<std::string>{"ops@example.com"});
  EXPECT_EQ(std::get<notify::EmailOptions>(n[1].options).timeout, std::chrono::seconds(30));
  EXPECT_EQ(std::get<notify::EmailOptions>(n[2].options).starttls, notify::StartTls::kNone);
  EXPECT_EQ(std::get<notify::SlackOptions>(n[3].options).webhook_url,
            "https://hooks.slack.com/services/T/B/X");
  EXPECT_EQ(std::get<notify::TeamsOptions>(n[4].options).timeout, std::chrono::seconds(5));
  const auto& hook = std::get<notify::WebhookOptions>(n[5].options);
  ASSERT_EQ(hook.headers.size(), 1U);
  EXPECT_EQ(hook.headers[0].value, "Bearer abcd");
  EXPECT_EQ(std::get<notify::CloudEventOptions>(n[6].options).sinks,
            std::vector<std::string>{"archive"});
  EXPECT_EQ(std::get<notify::CloudEventOptions>(n[6].options).source,
            "cloud.amazon.billing/alarms");
  EXPECT_TRUE(std::get<notify::CloudEventOptions>(n[7].options).sinks.empty());
  EXPECT_EQ(std::get<notify::CloudEventOptions>(n[7].options).source, "cloud.amazon.billing");
  EXPECT_EQ(std::get<notify::SnsOptions>(n[8].options).profile, "billing");

  // The summary shows none of the secrets.
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, HasSubstr("notifier mail: email via smtp://smtp.example.com:587"));
  EXPECT_THAT(summary, HasSubstr("notifier relay: email via smtp://localhost (NO TLS)"));
  EXPECT_THAT(summary, HasSubstr("notifier events: cloudevent amazon.billing.alarm"));
  for (const char* secret : {"pa55word", "hooks.slack.com", "workflows/abc", "abcd"})
    EXPECT_THAT(summary, Not(HasSubstr(secret))) << secret;
}

TEST(ConfigNotifiers, ErrorsPointAtTheirPlace) {
  auto result = CheckNotifiers(
      "  - name: mail\n"                                         // line 8
      "    type: emial\n"                                        // 11
      "  - name: mail2\n"                                        // 12
      "    type: email\n"                                        // 13
      "    smtp_url: http://smtp.example.com\n"                  // 14
      "    from: nobody\n"                                       // 15
      "    to: [ok@example.com, \"bad address@example.com\"]\n"  // 16
      "    webhook_url: https://x.example/\n"                    // 17
      "  - name: events\n"                                       // 18
      "    type: cloudevent\n"                                   // 19
      "    sinks: [out, archiv]\n"                               // 20
      "  - name: events\n"                                       // 21
      "    type: sns\n"                                          // 22
      "    topic_arn: arn:aws:s3:::bucket\n"                     // 23
      "    starttls: required\n");                               // 24
  const std::string problems = Problems(result);
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:11:11: notifiers[0].type must be email, slack, "
                                  "teams, webhook, cloudevent or sns, not 'emial' (did you mean "
                                  "'email'?)"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:14:15: notifiers[1].smtp_url must be an smtp:// "
                                  "or smtps:// URL"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:15:11: notifiers[1].from: 'nobody' is not an "
                                  "address like a@example.com"));
  EXPECT_THAT(problems,
              HasSubstr("costwatch.yaml:16:26: notifiers[1].to: 'bad address@example.com'"));
  EXPECT_THAT(problems,
              HasSubstr("costwatch.yaml:17:5: unknown key 'webhook_url' in notifiers[1]"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:20:18: notifiers[2].sinks[1]: there is no sink "
                                  "named 'archiv' (did you mean 'archive'?)"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:21:11: notifiers[3]: another notifier is "
                                  "already named 'events'; names must be unique"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:23:16: notifiers[3].topic_arn: "
                                  "'arn:aws:s3:::bucket' is not an SNS topic ARN"));
  EXPECT_THAT(problems, HasSubstr("costwatch.yaml:24:5: unknown key 'starttls' in notifiers[3]"));
  EXPECT_EQ(result.problems.size(), 9U) << problems;
}

TEST(ConfigNotifiers, RequiredKeysAndTheRulesBetweenKeys) {
  auto result = CheckNotifiers(
      "  - name: a\n"
      "    type: email\n"
      "  - name: b\n"
      "    type: email\n"
      "    smtp_url: smtps://smtp.example.com\n"
      "    starttls: none\n"
      "    from: a@example.com\n"
      "    to: a@example.com\n"
      "    password: hunter2-pw\n"
      "  - name: c\n"
      "    type: email\n"
      "    smtp_url: smtp://relay\n"
      "    starttls: nope\n"
      "    username: u\n"
      "    password: hunter2-pw\n"
      "    from: a@example.com\n"
      "    to: a@example.com\n"
      "  - name: d\n"
      "    type: email\n"
      "    smtp_url: smtp://relay\n"
      "    starttls: none\n"
      "    username: u\n"
      "    password: hunter2-pw\n"
      "    from: a@example.com\n"
      "    to: []\n"
      "  - name: e\n"
      "    type: slack\n"
      "  - name: f\n"
      "    type: cloudevent\n"
      "    sinks: []\n");
  const std::string problems = Problems(result);
  EXPECT_THAT(problems, HasSubstr("missing required key 'smtp_url' in notifiers[0]"));
  EXPECT_THAT(problems, HasSubstr("missing required key 'from' in notifiers[0]"));
  EXPECT_THAT(problems, HasSubstr("missing required key 'to' in notifiers[0]"));
  EXPECT_THAT(problems, HasSubstr("notifiers[1].starttls applies to smtp:// only"));
  EXPECT_THAT(problems, HasSubstr("notifiers[1] needs both username and password, or neither"));
  EXPECT_THAT(problems, HasSubstr("notifiers[2].starttls must be required or none, not 'nope'"));
  EXPECT_THAT(problems, HasSubstr("notifiers[3]: a password needs TLS"));
  EXPECT_THAT(problems, HasSubstr("notifiers[3].to needs at least one address"));
  EXPECT_THAT(problems, HasSubstr("missing required key 'webhook_url' in notifiers[4]"));
  EXPECT_THAT(problems, HasSubstr("notifiers[5].sinks names no sink"));
  EXPECT_THAT(problems, Not(HasSubstr("hunter2")));
}

TEST(ConfigNotifiers, SecretsAreNeverQuoted) {
  auto result = CheckNotifiers(
      "  - name: mail\n"
      "    type: email\n"
      "    smtp_url: smtp://user:hunter2-in-url@smtp.example.com\n"
      "    username: u\n"
      "    password: [hunter2-password]\n"
      "    from: a@example.com\n"
      "    to: a@example.com\n"
      "  - name: slack\n"
      "    type: slack\n"
      "    webhook_url: hooks.slack.com/services/T0/B0/s3cret-path\n"
      "  - name: teams\n"
      "    type: teams\n"
      "    webhook_url: [https://example.webhook.office.com/s3cret-teams]\n"
      "  - name: hook\n"
      "    type: webhook\n"
      "    url: https://alerts.example.com/in\n"
      "    headers:\n"
      "      X-Api-Key: \"s3cret-header\\nvalue\"\n"
      "  - name: mail2\n"
      "    type: email\n"
      "    smtp_url: smtp://smtp.example.com\n"
      "    username: u\n"
      "    password: ${SMTP_PASSWORD}\n"
      "    from: a@example.com\n"
      "    to: [\"${SMTP_PASSWORD}\"]\n",
      {{"SMTP_PASSWORD", "env-s3cret"}});
  const std::string problems = Problems(result);
  EXPECT_EQ(result.problems.size(), 6U) << problems;
  EXPECT_THAT(problems, HasSubstr("notifiers[0].smtp_url must not hold user information"));
  EXPECT_THAT(problems, HasSubstr("notifiers[0].password must be a single value"));
  EXPECT_THAT(problems, HasSubstr("notifiers[1].webhook_url must be an http:// or https:// URL"));
  EXPECT_THAT(problems, HasSubstr("notifiers[3].headers.X-Api-Key: the value contains a line"));
  EXPECT_THAT(problems, HasSubstr("notifiers[4].to: '${SMTP_PASSWORD}' (from the environment)"));
  for (const char* secret : {"hunter2", "s3cret", "hooks.slack.com", "webhook.office.com"})
    EXPECT_THAT(problems, Not(HasSubstr(secret))) << secret;
}

}  // namespace
}  // namespace costwatch::config
