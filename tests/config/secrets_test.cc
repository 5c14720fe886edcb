// The config's side of keeping secrets: what the scrubber is told, the refusal of credentials
// in clear text, the warnings at start, file permissions, and the limits on YAML documents.
#include "config/secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "config/redact.h"
#include "config/warnings.h"
#include "config/yaml_limits.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::Problems;

constexpr const char* kEverySecret =
    "sources:\n"
    "  - name: main\n"
    "sinks:\n"
    "  - name: hook\n"
    "    type: http\n"
    "    url: https://ingest.example.com/events?api_key=Qk4-ingest-key\n"
    "    headers: {Authorization: \"Bearer Zt7-sink-token\", X-Team: finops}\n"
    "  - name: bus\n"
    "    type: kafka\n"
    "    brokers: [kafka.example.com:9093]\n"
    "    topic: costs\n"
    "    librdkafka: {security.protocol: SASL_SSL, sasl.mechanism: SCRAM-SHA-512,\n"
    "                 sasl.username: costwatch, sasl.password: Kf2-sasl-password}\n"
    "notifiers:\n"
    "  - name: mail\n"
    "    type: email\n"
    "    smtp_url: smtp://smtp.example.com:587\n"
    "    username: costwatch\n"
    "    password: ${SMTP_PASSWORD}\n"
    "    from: costwatch@example.com\n"
    "    to: ops@example.com\n"
    "  - name: chat\n"
    "    type: slack\n"
    "    webhook_url: https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/Xs9slackTokenXs9\n"
    "  - name: alerts\n"
    "    type: webhook\n"
    "    url: https://alerts.example.com/in/Wh5-hook-path\n"
    "server:\n"
    "  token: Sv3-server-token\n";

TEST(ConfigSecrets, TheScrubberKnowsEverySecretOfTheFile) {
  auto result = Check(kEverySecret, {{"SMTP_PASSWORD", "Sm8-smtp-password"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  // Every value under a key the schema marks secret was recorded as it was read.
  EXPECT_THAT(result.config.secret_values,
              ::testing::IsSupersetOf({"Bearer Zt7-sink-token", "finops", "Kf2-sasl-password",
                                       "Sm8-smtp-password", "Sv3-server-token"}));
  const SecretScrubber secrets = ScrubberFor(result.config);
  for (const char* secret : {"Zt7-sink-token", "Qk4-ingest-key", "Kf2-sasl-password",
                             "Sm8-smtp-password", "U204LXNtdHAtcGFzc3dvcmQ=", "Xs9slackTokenXs9",
                             "T0AAAAAAA", "Wh5-hook-path", "Sv3-server-token"}) {
    const std::string text = std::string("receiver says: ") + secret + " refused";
    EXPECT_EQ(secrets.Scrub(text), "receiver says: [redacted] refused") << secret;
  }
  // What is no secret stays readable.
  EXPECT_EQ(secrets.Scrub("HTTP 503 from ingest.example.com for /events"),
            "HTTP 503 from ingest.example.com for /events");
  // Redacted copies carry none of them.
  EXPECT_THAT(Redacted(result.config).secret_values, IsEmpty());
}

TEST(ConfigSecrets, CredentialsInClearTextAreRefused) {
  const auto sink = [](const std::string& url, const std::string& extra = "") {
    return Check(std::string(testing::kMinimalSources) + "sinks:\n  - name: hook\n" +
                 "    type: http\n    url: " + url + "\n" + extra);
  };
  const std::string auth = "    headers: {Authorization: \"Bearer abcd-efgh\"}\n";
  auto refused = sink("http://10.0.0.5:8080/events", auth);
  ASSERT_EQ(refused.problems.size(), 1U) << Problems(refused);
  EXPECT_EQ(refused.problems[0].line, 6);  // the url
  EXPECT_THAT(refused.problems[0].message,
              HasSubstr("sinks[0]: the Authorization header would cross the network in clear "
                        "text (http:// to a host that is not this machine); use https://, or set "
                        "allow_plaintext_credentials: true"));
  EXPECT_THAT(Problems(refused), Not(HasSubstr("abcd")));
  // A name that starts like a loopback address is still a name anyone can point anywhere.
  EXPECT_FALSE(sink("http://127.example.com/events", auth).ok());
  EXPECT_FALSE(sink("http://ingest.example.com/", "    headers: {X-Api-Key: abcd-efgh}\n").ok());
  EXPECT_FALSE(sink("http://ingest.example.com/", "    headers: {Cookie: session=abcd}\n").ok());

  for (const char* fine : {"https://10.0.0.5/events", "http://127.0.0.1:9/", "http://[::1]:9/",
                           "http://localhost:9/", "http://127.1.2.3/"}) {
    EXPECT_TRUE(sink(fine, auth).ok()) << fine << Problems(sink(fine, auth));
  }
  // Without credentials, plain HTTP is the receiver's business.
  EXPECT_TRUE(sink("http://10.0.0.5/events", "    headers: {X-Team: finops}\n").ok());

  auto allowed = sink("http://10.0.0.5/events", auth + "    allow_plaintext_credentials: true\n");
  ASSERT_TRUE(allowed.ok()) << Problems(allowed);
  EXPECT_THAT(SecurityWarnings(allowed.config),
              ElementsAre("sink 'hook': WARNING: credentials go over http:// in clear text "
                          "(allow_plaintext_credentials)"));
  EXPECT_THAT(Summarize(allowed.config), HasSubstr("clear text allowed"));
}

TEST(ConfigSecrets, ChatAndWebhookUrlsAreCredentials) {
  const auto notifier = [](const std::string& body) {
    return Check(std::string(testing::kMinimalSources) + testing::kMinimalSinks +
                 "notifiers:\n  - name: n\n" + body);
  };
  for (const std::string body :
       {"    type: slack\n    webhook_url: http://hooks.example.com/services/T/B/X\n",
        "    type: teams\n    webhook_url: http://teams.example.com/workflows/abc\n",
        "    type: webhook\n    url: http://alerts.example.com/in\n"}) {
    auto result = notifier(body);
    ASSERT_EQ(result.problems.size(), 1U) << body << Problems(result);
    EXPECT_THAT(result.problems[0].message,
                HasSubstr("would cross the network in clear text (http:// to a host that is not "
                          "this machine), and the URL is a credential"));
    EXPECT_THAT(Problems(result), Not(HasSubstr("example.com")));
    auto allowed = notifier(body + "    allow_plaintext_credentials: true\n");
    ASSERT_TRUE(allowed.ok()) << Problems(allowed);
    EXPECT_THAT(SecurityWarnings(allowed.config),
                ElementsAre("notifier 'n': WARNING: its URL and headers go over http:// in clear "
                            "text (allow_plaintext_credentials)"));
  }
  EXPECT_TRUE(
      notifier("    type: slack\n    webhook_url: http://127.0.0.1:9/services/T/B/X\n").ok());
}

TEST(ConfigSecrets, UnverifiedTlsIsWarnedAbout) {
  auto result = Check(std::string(testing::kMinimalSources) +
                      "sinks:\n  - name: hook\n    type: http\n    url: https://10.0.0.5/\n"
                      "    tls: {verify: false}\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_THAT(SecurityWarnings(result.config),
              ElementsAre("sink 'hook': WARNING: tls.verify is false: the receiver's certificate "
                          "is not checked, so anyone on the path can read and change what is "
                          "sent"));
  EXPECT_THAT(SecurityWarnings(
                  Check(std::string(testing::kMinimalSources) + testing::kMinimalSinks).config),
              IsEmpty());
}

TEST(ConfigSecrets, FileModeIsOctalAndLetsTheOwnerWrite) {
  const auto file = [](const std::string& mode) {
    return Check(std::string(testing::kMinimalSources) +
                 "sinks:\n  - name: archive\n    type: file\n    path: /tmp/x.jsonl\n" + mode);
  };
  auto standard = file("");
  ASSERT_TRUE(standard.ok()) << Problems(standard);
  EXPECT_EQ(std::get<sinks::FileSinkOptions>(standard.config.sinks[0].options).file_mode, 0600U);
  auto group = file("    file_mode: \"0640\"\n");
  ASSERT_TRUE(group.ok()) << Problems(group);
  EXPECT_EQ(std::get<sinks::FileSinkOptions>(group.config.sinks[0].options).file_mode, 0640U);
  EXPECT_THAT(Summarize(group.config), HasSubstr("mode 0640"));
  EXPECT_THAT(Problems(file("    file_mode: \"0999\"\n")),
              HasSubstr("sinks[0].file_mode: '0999' is not a file mode in octal"));
  EXPECT_THAT(Problems(file("    file_mode: \"1777\"\n")), HasSubstr("is not a file mode"));
  EXPECT_THAT(Problems(file("    file_mode: \"0400\"\n")),
              HasSubstr("does not let the owner write"));
}

// The "billion laughs": every level names the one before ten times. Mappings, so that the
// filter (a mapping, converted to JSON) would be walked whole.
std::string AliasBomb(int levels) {
  std::string yaml = "a0: &a0 {k: [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n";
  for (int level = 1; level < levels; ++level) {
    const std::string before = "*a" + std::to_string(level - 1);
    yaml += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " {k: [";
    for (int i = 0; i < 10; ++i) yaml += (i == 0 ? "" : ",") + before;
    yaml += "]}\n";
  }
  return yaml + "sources:\n  - name: x\n    filter: *a" + std::to_string(levels - 1) +
         "\nsinks: [{name: s, type: stdout}]\n";
}

TEST(ConfigLimits, AnAliasBombIsRefusedAtTheAliasThatGoesTooFar) {
  const std::string bomb = AliasBomb(8);  // 10^8 strings
  EXPECT_LT(bomb.size(), 600U);
  const auto start = std::chrono::steady_clock::now();
  auto result = Check(bomb);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  // a3, on line 4, brings the aliases to 11,110 values: the first past the limit.
  EXPECT_EQ(result.problems[0].line, 4);
  EXPECT_THAT(result.problems[0].message,
              HasSubstr("the aliases (*name) up to here stand for more than 10000 nodes"));
  EXPECT_EQ(FormatProblem("bomb.yaml", result.problems[0]).find('\n'), std::string::npos);
  // Before the limit: past 37 seconds and 1.5 GB.
  EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(ConfigLimits, OrdinaryAliasesStillWork) {
  auto result = Check(
      "sources:\n  - name: main\n"
      "sinks:\n"
      "  - {name: a, type: http, url: \"https://a.example.com/\", headers: &auth {X-Team: ops}}\n"
      "  - {name: b, type: http, url: \"https://b.example.com/\", headers: *auth}\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(std::get<sinks::HttpSinkOptions>(result.config.sinks[1].options).headers[0].value,
            "ops");
}

TEST(ConfigLimits, SizeAndValueCountAreBounded) {
  // Where the 1 MiB ends: line 3 here.
  const std::string big = "# a\n# b\n" + std::string(kMaxConfigBytes, '#');
  auto result = Check(big);
  ASSERT_EQ(result.problems.size(), 1U);
  EXPECT_EQ(result.problems[0].line, 3);
  EXPECT_THAT(result.problems[0].message, HasSubstr("the file goes on past 1 MiB here"));

  std::string wide = "sources:\n  - name: x\n    metrics: [";
  for (size_t i = 0; i <= kMaxNodes; ++i) wide += "a,";
  wide += "a]\n";
  ASSERT_LT(wide.size(), kMaxConfigBytes);
  result = Check(wide);
  ASSERT_EQ(result.problems.size(), 1U);
  EXPECT_EQ(result.problems[0].line, 3);
  EXPECT_THAT(result.problems[0].message, HasSubstr("more than 100000 values"));
}

}  // namespace
}  // namespace costwatch::config
