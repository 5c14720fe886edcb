#include "config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/schema.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSinks;
using testing::kMinimalSources;
using ::testing::Not;
using testing::Problems;

std::string Minimal(const std::string& extra = "") {
  return std::string(kMinimalSources) + kMinimalSinks + extra;
}

TEST(ConfigLoader, MinimalFileGetsTheDefaults) {
  auto result = Check(Minimal());
  ASSERT_TRUE(result.ok()) << Problems(result);
  const Config& config = result.config;
  EXPECT_EQ(config.state_path, "");
  EXPECT_EQ(config.state_retention_days, 400);
  EXPECT_EQ(config.schedule.daily_at, std::chrono::minutes(120));
  EXPECT_EQ(config.schedule.timezone, "UTC");
  EXPECT_FALSE(config.schedule.interval.has_value());
  EXPECT_EQ(config.schedule.jitter.count(), 0);
  ASSERT_EQ(config.sources.size(), 1U);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.name, "main");
  EXPECT_EQ(source.profile, "");
  EXPECT_EQ(source.granularity, ce::Granularity::kDaily);
  EXPECT_EQ(source.metrics, std::vector<std::string>{"AmortizedCost"});
  EXPECT_EQ(source.group_by, (std::vector<ce::GroupBy>{{"DIMENSION", "SERVICE"}}));
  EXPECT_EQ(source.filter_json, "");
  EXPECT_EQ(source.lookback_days, 3);
  EXPECT_EQ(source.event_source, "cloud.amazon.billing");
  ASSERT_EQ(config.sinks.size(), 1U);
  EXPECT_EQ(config.sinks[0].name, "out");
  EXPECT_TRUE(std::holds_alternative<sinks::StdoutSinkOptions>(config.sinks[0].options));
}

TEST(ConfigLoader, DefaultScheduleIsDailyAtTwoUtc) {
  // Code that builds a Config without a file (run's embedded defaults) gets the same schedule.
  const ScheduleConfig schedule;
  EXPECT_EQ(schedule.daily_at, std::chrono::minutes(120));
  EXPECT_EQ(schedule.timezone, "UTC");
  EXPECT_FALSE(schedule.interval.has_value());
}

TEST(ConfigLoader, UnknownKeyWithLineColumnAndSuggestion) {
  auto result = Check(
      "sources:\n"
      "  - name: main\n"
      "    granularty: HOURLY\n" +
      std::string(kMinimalSinks));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(FormatProblem("costwatch.yaml", result.problems[0]),
            "costwatch.yaml:3:5: unknown key 'granularty' in sources[0] (did you mean "
            "'granularity'?)");
}

TEST(ConfigLoader, UnknownKeyWithoutAPlausibleSuggestion) {
  auto result = Check(Minimal("frobnicate: 1\n"));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(result.problems[0].message, "unknown key 'frobnicate' at the top level");
  EXPECT_EQ(result.problems[0].line, 6);
  EXPECT_EQ(result.problems[0].column, 1);
}

TEST(ConfigLoader, CollectsEveryProblemInFileOrder) {
  auto result = Check(
      "schedule:\n"
      "  daily_at: \"25:00\"\n"
      "  timezone: Mars/Olympus\n"
      "sources:\n"
      "  - name: Main\n"
      "    metrics: [AmortisedCost]\n"
      "    lookback_days: 0\n"
      "sinks:\n"
      "  - name: out\n"
      "    type: stdot\n");
  ASSERT_EQ(result.problems.size(), 6U) << Problems(result);
  EXPECT_EQ(
      Problems(result),
      "costwatch.yaml:2:13: schedule.daily_at: '25:00' is not a time of day in HH:MM form "
      "(00:00 to 23:59)\n"
      "costwatch.yaml:3:13: schedule.timezone: 'Mars/Olympus' is not a time zone installed "
      "in /usr/share/zoneinfo (an IANA name such as Europe/Paris or UTC)\n"
      "costwatch.yaml:5:11: sources[0].name: 'Main' is not a valid name (lower-case "
      "letters, digits, '_' and '-')\n"
      "costwatch.yaml:6:15: unknown metric 'AmortisedCost' in sources[0].metrics (did you "
      "mean 'AmortizedCost'?)\n"
      "costwatch.yaml:7:20: sources[0].lookback_days must be between 1 and 90, not 0\n"
      "costwatch.yaml:10:11: sinks[0].type must be stdout, file, http or kafka, not 'stdot' (did "
      "you mean 'stdout'?)\n");
}

TEST(ConfigLoader, NeedsSourcesAndSinks) {
  auto result = Check("state_path: /tmp/x\n");
  EXPECT_THAT(Problems(result), HasSubstr("missing required key 'sources' in the file"));
  EXPECT_THAT(Problems(result), HasSubstr("missing required key 'sinks' in the file"));

  auto empty = Check("sources: []\nsinks:\n");
  ASSERT_EQ(empty.problems.size(), 2U) << Problems(empty);
  EXPECT_THAT(empty.problems[0].message,
              HasSubstr("sources must be a list of at least one source"));
  EXPECT_THAT(empty.problems[1].message, HasSubstr("sinks must be a list of at least one sink"));
}

TEST(ConfigLoader, EmptyAndMalformedFiles) {
  auto empty = Check("");
  ASSERT_EQ(empty.problems.size(), 1U);
  EXPECT_EQ(FormatProblem("c.yaml", empty.problems[0]),
            "c.yaml: the file is empty; it needs sources and sinks");

  auto broken = Check("sources:\n  - name: [main\n");
  ASSERT_EQ(broken.problems.size(), 1U);
  EXPECT_THAT(broken.problems[0].message, HasSubstr("not valid YAML"));
  EXPECT_GT(broken.problems[0].line, 0);

  auto list = Check("- a\n- b\n");
  ASSERT_EQ(list.problems.size(), 1U);
  EXPECT_EQ(list.problems[0].message, "the file must be a mapping of keys");

  auto two = Check(Minimal() + "---\n" + Minimal());
  ASSERT_EQ(two.problems.size(), 1U) << Problems(two);
  EXPECT_THAT(two.problems[0].message, HasSubstr("only one YAML document"));
}

TEST(ConfigLoader, DuplicateKeysAreRefused) {
  auto result = Check(
      "sources:\n"
      "  - name: main\n"
      "    lookback_days: 2\n"
      "    lookback_days: 5\n" +
      std::string(kMinimalSinks));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(FormatProblem("f", result.problems[0]),
            "f:4:5: duplicate key 'lookback_days' in sources[0] (first at line 3)");
}

TEST(ConfigLoader, Schedule) {
  auto result =
      Check(Minimal("schedule:\n"
                    "  daily_at: \"06:30\"\n"
                    "  timezone: Europe/Paris\n"
                    "  interval: 6h\n"
                    "  jitter: 5m\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& schedule = result.config.schedule;
  EXPECT_EQ(schedule.daily_at, std::chrono::minutes(6 * 60 + 30));
  EXPECT_EQ(schedule.timezone, "Europe/Paris");
  EXPECT_EQ(schedule.interval, std::chrono::hours(6));
  EXPECT_EQ(schedule.jitter, std::chrono::minutes(5));
}

TEST(ConfigLoader, IntervalAloneHasNoDailyPull) {
  auto result = Check(Minimal("schedule:\n  interval: 30m\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_FALSE(result.config.schedule.daily_at.has_value());
  EXPECT_EQ(result.config.schedule.interval, std::chrono::minutes(30));
}

TEST(ConfigLoader, ScheduleWithOnlyATimeZoneKeepsTheDefaultHour) {
  auto result = Check(Minimal("schedule:\n  timezone: America/New_York\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.config.schedule.daily_at, std::chrono::minutes(120));
  EXPECT_EQ(result.config.schedule.timezone, "America/New_York");
}

TEST(ConfigLoader, ScheduleLimits) {
  auto result =
      Check(Minimal("schedule:\n"
                    "  interval: 10s\n"
                    "  jitter: 2\n"));
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_EQ(result.problems[0].message, "schedule.interval must be between 1m and 7d, not 10s");
  EXPECT_THAT(result.problems[1].message, HasSubstr("schedule.jitter: '2' is not a duration"));

  auto jitter = Check(Minimal("schedule:\n  interval: 10m\n  jitter: 10m\n"));
  ASSERT_EQ(jitter.problems.size(), 1U) << Problems(jitter);
  EXPECT_EQ(jitter.problems[0].message, "schedule.jitter must be shorter than schedule.interval");
  EXPECT_EQ(jitter.problems[0].line, 8);
}

TEST(ConfigLoader, SectionsMustBeMappings) {
  auto result = Check(Minimal("schedule: daily\n"));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(result.problems[0].message, "schedule must be a mapping of keys");
}

TEST(ConfigLoader, EnvironmentReferencesAreExpanded) {
  auto result = Check(
      "state_path: ${STATE:-/var/lib/costwatch}\n"
      "schedule:\n"
      "  interval: ${INTERVAL}\n" +
          Minimal(),
      {{"INTERVAL", "2h"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.config.state_path, "/var/lib/costwatch");
  EXPECT_EQ(result.config.schedule.interval, std::chrono::hours(2));
  EXPECT_EQ(result.config.environment_values, std::vector<std::string>{"2h"});
}

TEST(ConfigLoader, MissingVariableNamesTheVariableAndTheKey) {
  auto result = Check("state_path: ${STATE_DIR}\n" + Minimal() +
                      "  - name: hook\n"
                      "    type: http\n"
                      "    url: https://example.com/\n"
                      "    headers:\n"
                      "      Authorization: Bearer ${WEBHOOK_TOKEN}\n");
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_EQ(FormatProblem("c", result.problems[0]),
            "c:1:13: state_path: environment variable STATE_DIR is not set");
  EXPECT_EQ(FormatProblem("c", result.problems[1]),
            "c:11:22: sinks[1].headers.Authorization: environment variable WEBHOOK_TOKEN is not "
            "set");
}

TEST(ConfigLoader, ValuesFromTheEnvironmentAreNeverPrinted) {
  auto result = Check(Minimal("schedule:\n  interval: ${INTERVAL}\n  timezone: ${TZNAME}\n"),
                      {{"INTERVAL", "hunter2"}, {"TZNAME", "sekret-zone"}});
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_THAT(Problems(result), Not(HasSubstr("hunter2")));
  EXPECT_THAT(Problems(result), Not(HasSubstr("sekret-zone")));
  EXPECT_THAT(result.problems[0].message, HasSubstr("'${INTERVAL}' (from the environment)"));
}

TEST(ConfigLoader, SecretsAreNeverPrintedEvenWhenWrittenInTheFile) {
  auto result =
      Check(Minimal("  - name: hook\n"
                    "    type: http\n"
                    "    url: https://example.com/\n"
                    "    headers:\n"
                    "      Authorization: \"Bearer abc\\r\\ndef\"\n"
                    "      X-Api-Token: [hunter2]\n"));
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_THAT(Problems(result), Not(HasSubstr("abc")));
  EXPECT_THAT(Problems(result), Not(HasSubstr("hunter2")));
  EXPECT_THAT(result.problems[0].message, HasSubstr("line break"));
}

TEST(ConfigLoader, UrlsAreNotQuoted) {
  // URLs carry credentials in their user information or path often enough.
  auto result =
      Check(Minimal("  - name: hook\n"
                    "    type: http\n"
                    "    url: https://user:hunter2@example.com:99999999/ x\n"));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_THAT(Problems(result), Not(HasSubstr("hunter2")));
}

TEST(ConfigLoader, LoadConfigReadsAFileAndSummarisesProblems) {
  const std::string path = ::testing::TempDir() + "/costwatch-load-test.yaml";
  {
    std::ofstream out(path);
    out << "sources:\n  - name: a\n    granularty: DAILY\n    lookback_days: 200\n"
        << kMinimalSinks;
  }
  auto bad = LoadConfig(path, testing::MapEnv());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message,
            path +
                ":3:5: unknown key 'granularty' in sources[0] (did you mean 'granularity'?) "
                "(and 1 more problems; see costwatch config check " +
                path + ")");
  {
    std::ofstream out(path);
    out << Minimal();
  }
  auto good = LoadConfig(path, testing::MapEnv());
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(good->sources[0].name, "main");
  std::filesystem::remove(path);

  auto missing = CheckConfig(path + ".missing", testing::MapEnv());
  ASSERT_EQ(missing.problems.size(), 1U);
  EXPECT_EQ(FormatProblem("x.yaml", missing.problems[0]),
            "x.yaml: cannot read the file: No such file or directory");
}

TEST(ConfigLoader, TheExampleFilePasses) {
  const std::string path = std::string(COSTWATCH_SOURCE_DIR) + "/examples/costwatch.yaml";
  const std::map<std::string, std::string> env = {
      {"WEBHOOK_TOKEN", "t0ken"},
      {"SMTP_PASSWORD", "smtp-s3cret"},
      {"SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXX"}};
  auto result = CheckConfig(path, testing::MapEnv(env));
  ASSERT_TRUE(result.ok()) << FormatProblems(path, result.problems);
  const Config& config = result.config;
  EXPECT_EQ(config.state_path, "/var/lib/costwatch/state.db");
  EXPECT_EQ(config.schedule.timezone, "Europe/Paris");
  EXPECT_EQ(config.sources.size(), 2U);
  EXPECT_EQ(config.sinks.size(), 3U);
  EXPECT_EQ(config.notifiers.size(), 6U);
  EXPECT_EQ(config.sources[1].filter_json,
            R"({"Dimensions":{"Key":"LINKED_ACCOUNT","Values":["012345678901","123456789012"]}})");

  // Without the secrets the example says exactly what is missing.
  auto without = CheckConfig(path, testing::MapEnv());
  ASSERT_EQ(without.problems.size(), 4U) << FormatProblems(path, without.problems);
  EXPECT_THAT(without.problems[0].message,
              HasSubstr("sinks[2].headers.Authorization: environment variable WEBHOOK_TOKEN is "
                        "not set"));
  EXPECT_THAT(without.problems[1].message,
              HasSubstr("notifiers[0].password: environment variable SMTP_PASSWORD is not set"));
  EXPECT_THAT(without.problems[2].message,
              HasSubstr("notifiers[1].webhook_url: environment variable SLACK_WEBHOOK_URL is not "
                        "set"));
}

TEST(ConfigLoader, DocsDescribeEveryKey) {
  std::ifstream in(std::string(COSTWATCH_SOURCE_DIR) + "/docs/config.md");
  ASSERT_TRUE(in) << "docs/config.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& section : Schema()) {
    EXPECT_THAT(text.str(), HasSubstr("`" + std::string(section.path) + "`"));
    for (const auto& key : section.keys) {
      EXPECT_THAT(text.str(), HasSubstr("| `" + std::string(key.key) + "` |"))
          << section.path << "." << key.key << " is not documented";
      EXPECT_FALSE(key.help.empty()) << key.key;
    }
  }
}

}  // namespace
}  // namespace costwatch::config
