#include "config/redact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/schema.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Problems;

constexpr const char* kFile =
    "state_path: /srv/${TENANT}/state\n"
    "schedule: {daily_at: \"03:15\", timezone: Europe/Paris, interval: 6h, jitter: 5m}\n"
    "sources:\n"
    "  - name: main\n"
    "    profile: billing\n"
    "    metrics: [AmortizedCost, UnblendedCost]\n"
    "    group_by: [SERVICE, \"TAG:team\"]\n"
    "sinks:\n"
    "  - {name: console, type: stdout}\n"
    "  - {name: archive, type: file, path: /var/log/costwatch.jsonl}\n"
    "  - name: hook\n"
    "    type: http\n"
    "    url: https://hooks.example.com/services/${HOOK_PATH}\n"
    "    mode: batch\n"
    "    headers: {Authorization: \"Bearer in-the-file\", X-Team: finops}\n";

TEST(ConfigRedact, SecretsAndEnvironmentValuesAreBlanked) {
  auto result = Check(kFile, {{"TENANT", "acme"}, {"HOOK_PATH", "T000/B000/XXXX"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  const Config safe = Redacted(result.config);
  EXPECT_EQ(safe.state_path, "/srv/<redacted>/state");
  const auto& http = std::get<sinks::HttpSinkOptions>(safe.sinks[2].options);
  EXPECT_EQ(http.url, "https://hooks.example.com/services/<redacted>");
  EXPECT_EQ(http.headers[0].value, "<redacted>");
  EXPECT_EQ(http.headers[1].value, "<redacted>");
  EXPECT_TRUE(safe.environment_values.empty());
  // The original is untouched: the daemon needs the real values.
  EXPECT_EQ(result.config.state_path, "/srv/acme/state");
}

TEST(ConfigRedact, SummaryShowsTheShapeButNoSecret) {
  auto result = Check(kFile, {{"TENANT", "acme"}, {"HOOK_PATH", "T000/B000/XXXX"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  const std::string summary = Summarize(result.config);
  EXPECT_EQ(summary,
            "schedule: daily at 03:15 Europe/Paris, every 6h, jitter up to 5m\n"
            "source main: DAILY AmortizedCost, UnblendedCost by SERVICE, TAG:team, profile "
            "billing, lookback 3 days\n"
            "sink console: stdout\n"
            "sink archive: file /var/log/costwatch.jsonl (rotated at 100MiB, 5 kept, fsync)\n"
            "sink hook: http https://hooks.example.com/services/<redacted> (batch of "
            "100, timeout 10s, Authorization: <redacted>, X-Team: <redacted>)\n");
  for (const char* secret : {"acme", "T000", "in-the-file"}) {
    EXPECT_THAT(summary, Not(HasSubstr(secret))) << secret;
  }
}

// The loader refuses user information in URLs (below); a Config built otherwise is still printed
// without it, wherever a URL is.
TEST(ConfigRedact, UserInformationIsBlankedInEveryUrl) {
  Config config;
  SourceConfig source;
  source.name = "main";
  source.endpoint_url = "http://ce:pa55word@ce.example.com/";
  config.sources.push_back(source);
  sinks::HttpSinkOptions http;
  http.url = "https://bot:pa55word@hooks.example.com/services/T000";
  config.sinks.push_back({"hook", http});
  notify::WebhookOptions webhook;
  webhook.url = "https://bot:pa55word@alerts.example.com/in/T000?token=T000";
  config.notifiers.push_back({"alerts", webhook});
  const std::string summary = Summarize(config);
  EXPECT_THAT(summary, HasSubstr("endpoint http://<redacted>@ce.example.com/"));
  EXPECT_THAT(summary, HasSubstr("http https://<redacted>@hooks.example.com/services/T000"));
  EXPECT_THAT(summary, HasSubstr("webhook https://<redacted>@alerts.example.com/<redacted>"));
  for (const char* secret : {"pa55word", "bot:", "ce:", "in/T000"}) {
    EXPECT_THAT(summary, Not(HasSubstr(secret))) << secret;
  }
}

TEST(ConfigRedact, UserInformationIsRefusedWithRunsWords) {
  for (const char* file : {
           "sources:\n  - name: main\n    endpoint_url: http://user:PASSWORD@127.0.0.1:9/\n"
           "sinks:\n  - {name: out, type: stdout}\n",
           "sources:\n  - name: main\nsinks:\n  - name: hook\n    type: http\n"
           "    url: https://user:PASSWORD@hooks.example.com/\n",
           "sources:\n  - name: main\nsinks:\n  - {name: out, type: stdout}\nnotifiers:\n"
           "  - name: chat\n    type: slack\n    webhook_url: "
           "https://u:PASSWORD@hooks.slack.com/x\n",
       }) {
    auto result = Check(file);
    ASSERT_EQ(result.problems.size(), 1U) << file << Problems(result);
    // http::ParseUrl's words: what run says of the same URL.
    EXPECT_THAT(result.problems[0].message,
                HasSubstr("user information (user:password@) is not allowed in a URL"));
    EXPECT_THAT(Problems(result), Not(HasSubstr("PASSWORD")));
  }
}

TEST(ConfigRedact, SecretNames) {
  EXPECT_TRUE(IsSecretName("Authorization"));
  EXPECT_TRUE(IsSecretName("X-Auth-Token"));
  EXPECT_TRUE(IsSecretName("db_password"));
  EXPECT_TRUE(IsSecretName("client_secret"));
  EXPECT_TRUE(IsSecretName("X-Api-Key"));
  EXPECT_FALSE(IsSecretName("X-Team"));
  EXPECT_FALSE(IsSecretName("timeout"));
}

}  // namespace
}  // namespace costwatch::config
