// sources[] and sinks[]: every key, every rule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSinks;
using testing::kMinimalSources;
using testing::Problems;

CheckResult CheckSource(const std::string& keys) {
  return Check("sources:\n  - name: main\n" + keys + kMinimalSinks);
}

CheckResult CheckSink(const std::string& keys, std::map<std::string, std::string> vars = {}) {
  return Check(std::string(kMinimalSources) + "sinks:\n  - name: s\n" + keys, std::move(vars));
}

TEST(ConfigSources, EveryKey) {
  auto result = CheckSource(
      "    profile: billing\n"
      "    endpoint_url: http://127.0.0.1:4566\n"
      "    granularity: monthly\n"
      "    metrics: [UnblendedCost, UsageQuantity]\n"
      "    group_by: [LINKED_ACCOUNT, \"TAG:team\"]\n"
      "    filter: {Not: {Dimensions: {Key: RECORD_TYPE, Values: [Credit, Refund]}}}\n"
      "    lookback_days: 90\n"
      "    event_source: urn:example:billing\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& source = result.config.sources[0];
  EXPECT_EQ(source.profile, "billing");
  EXPECT_EQ(source.endpoint_url, "http://127.0.0.1:4566");
  EXPECT_EQ(source.granularity, ce::Granularity::kMonthly);
  EXPECT_EQ(source.metrics, (std::vector<std::string>{"UnblendedCost", "UsageQuantity"}));
  EXPECT_EQ(source.group_by,
            (std::vector<ce::GroupBy>{{"DIMENSION", "LINKED_ACCOUNT"}, {"TAG", "team"}}));
  EXPECT_EQ(source.filter_json,
            R"({"Not":{"Dimensions":{"Key":"RECORD_TYPE","Values":["Credit","Refund"]}}})");
  EXPECT_EQ(source.lookback_days, 90);
  EXPECT_EQ(source.event_source, "urn:example:billing");
}

TEST(ConfigSources, ScalarListsAndNoGrouping) {
  auto result = CheckSource("    metrics: UnblendedCost\n    group_by: []\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.config.sources[0].metrics, std::vector<std::string>{"UnblendedCost"});
  EXPECT_TRUE(result.config.sources[0].group_by.empty());
}

TEST(ConfigSources, NameIsRequiredAndUnique) {
  auto missing = Check("sources:\n  - profile: x\n" + std::string(kMinimalSinks));
  ASSERT_EQ(missing.problems.size(), 1U) << Problems(missing);
  EXPECT_EQ(FormatProblem("c", missing.problems[0]),
            "c:2:5: missing required key 'name' in sources[0]");

  auto twice = Check("sources:\n  - name: a\n  - name: a\n" + std::string(kMinimalSinks));
  ASSERT_EQ(twice.problems.size(), 1U) << Problems(twice);
  EXPECT_EQ(FormatProblem("c", twice.problems[0]),
            "c:3:11: sources[1]: another source is already named 'a'; names must be unique");
}

TEST(ConfigSources, GranularityAndLookback) {
  auto bad = CheckSource("    granularity: DAILYY\n");
  ASSERT_EQ(bad.problems.size(), 1U) << Problems(bad);
  EXPECT_EQ(bad.problems[0].message,
            "sources[0].granularity must be DAILY, HOURLY or MONTHLY, not 'DAILYY'");

  EXPECT_TRUE(CheckSource("    granularity: HOURLY\n    lookback_days: 14\n").ok());
  auto hourly = CheckSource("    granularity: HOURLY\n    lookback_days: 15\n");
  ASSERT_EQ(hourly.problems.size(), 1U) << Problems(hourly);
  EXPECT_EQ(FormatProblem("c", hourly.problems[0]),
            "c:4:20: sources[0].lookback_days must be at most 14 for HOURLY data (Cost Explorer "
            "keeps 14 days of it)");

  auto big = CheckSource("    lookback_days: 91\n");
  ASSERT_EQ(big.problems.size(), 1U) << Problems(big);
  auto word = CheckSource("    lookback_days: three\n");
  ASSERT_EQ(word.problems.size(), 1U) << Problems(word);
  EXPECT_EQ(word.problems[0].message, "sources[0].lookback_days: 'three' is not a whole number");
}

TEST(ConfigSources, MetricsAndGroupBys) {
  auto result = CheckSource(
      "    metrics: [UnblendedCost, UnblendedCost]\n"
      "    group_by: [SERVICE, REGION, LINKED_ACCOUNT]\n");
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_EQ(FormatProblem("c", result.problems[0]),
            "c:3:30: sources[0].metrics names UnblendedCost twice");
  EXPECT_EQ(FormatProblem("c", result.problems[1]),
            "c:4:15: Cost Explorer groups by at most two keys; sources[0].group_by has 3");

  auto bad = CheckSource("    group_by: [SERVICE, SERVCE]\n    metrics: []\n");
  ASSERT_EQ(bad.problems.size(), 2U) << Problems(bad);
  EXPECT_EQ(bad.problems[0].line, 3);
  EXPECT_EQ(bad.problems[0].column, 25);
  EXPECT_THAT(bad.problems[0].message, HasSubstr("sources[0].group_by: cannot group by dimension"));
  EXPECT_THAT(bad.problems[0].message, HasSubstr("SERVICE"));
  EXPECT_EQ(bad.problems[1].message, "sources[0].metrics needs at least one metric");
}

TEST(ConfigSources, FilterIsCheckedLikeFetchDoes) {
  auto result = CheckSource(
      "    filter:\n"
      "      Dimension: {Key: REGION, Values: [eu-west-1]}\n");
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(result.problems[0].line, 4);
  EXPECT_THAT(result.problems[0].message, HasSubstr("sources[0].filter"));
  EXPECT_THAT(result.problems[0].message, HasSubstr("Dimension"));
  EXPECT_THAT(result.problems[0].message, ::testing::Not(HasSubstr("--")));

  auto scalar = CheckSource("    filter: '{\"Dimensions\": {}}'\n");
  ASSERT_EQ(scalar.problems.size(), 1U) << Problems(scalar);
  EXPECT_EQ(scalar.problems[0].message,
            "sources[0].filter must be a mapping (a Cost Explorer Expression)");
}

TEST(ConfigSources, FilterValuesMayComeFromTheEnvironment) {
  auto result =
      CheckSource("    filter: {Dimensions: {Key: LINKED_ACCOUNT, Values: [\"${ACCOUNT}\"]}}\n");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(Problems(result), HasSubstr("sources[0].filter.Dimensions.Values[0]: environment "
                                          "variable ACCOUNT is not set"));
}

TEST(ConfigSources, EndpointUrlMustBeHttp) {
  auto result = CheckSource("    endpoint_url: ftp://x\n");
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_EQ(result.problems[0].message,
            "sources[0].endpoint_url must be an http:// or https:// URL");
}

TEST(ConfigSinks, File) {
  auto result = CheckSink(
      "    type: file\n"
      "    path: /var/lib/costwatch/events.jsonl\n"
      "    max_size: 1GiB\n"
      "    max_files: 0\n"
      "    fsync: false\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& file = std::get<sinks::FileSinkOptions>(result.config.sinks[0].options);
  EXPECT_EQ(file.path, "/var/lib/costwatch/events.jsonl");
  EXPECT_EQ(file.max_bytes, 1ULL << 30);
  EXPECT_EQ(file.max_files, 0);
  EXPECT_FALSE(file.fsync);

  auto defaults = CheckSink("    type: file\n    path: x.jsonl\n");
  ASSERT_TRUE(defaults.ok()) << Problems(defaults);
  const auto& plain = std::get<sinks::FileSinkOptions>(defaults.config.sinks[0].options);
  EXPECT_EQ(plain.max_bytes, 100U << 20);
  EXPECT_EQ(plain.max_files, 5);
  EXPECT_TRUE(plain.fsync);
}

TEST(ConfigSinks, FileProblems) {
  auto result = CheckSink(
      "    type: file\n"
      "    max_size: lots\n"
      "    fsync: yes\n"
      "    url: https://example.com\n");
  ASSERT_EQ(result.problems.size(), 4U) << Problems(result);
  EXPECT_EQ(FormatProblem("c", result.problems[0]),
            "c:4:5: missing required key 'path' in sinks[0]");
  EXPECT_THAT(result.problems[1].message, HasSubstr("sinks[0].max_size: 'lots' is not a size"));
  EXPECT_EQ(result.problems[2].message, "sinks[0].fsync: 'yes' is not true or false");
  EXPECT_EQ(result.problems[3].message, "unknown key 'url' in sinks[0]");
}

TEST(ConfigSinks, Http) {
  auto result = CheckSink(
      "    type: http\n"
      "    url: https://events.example.com/ingest\n"
      "    mode: batch\n"
      "    batch_size: 500\n"
      "    timeout: 30s\n"
      "    headers:\n"
      "      Authorization: Bearer ${TOKEN}\n"
      "      X-Team: finops\n"
      "    tls:\n"
      "      ca_file: /etc/ssl/private-ca.pem\n"
      "      cert_file: /etc/costwatch/client.pem\n"
      "      key_file: /etc/costwatch/client.key\n"
      "      verify: false\n",
      {{"TOKEN", "t0ken"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& http = std::get<sinks::HttpSinkOptions>(result.config.sinks[0].options);
  EXPECT_EQ(http.url, "https://events.example.com/ingest");
  EXPECT_EQ(http.mode, sinks::HttpMode::kBatch);
  EXPECT_EQ(http.batch_size, 500U);
  EXPECT_EQ(http.timeout, std::chrono::seconds(30));
  ASSERT_EQ(http.headers.size(), 2U);
  EXPECT_EQ(http.headers[0].name, "Authorization");
  EXPECT_EQ(http.headers[0].value, "Bearer t0ken");
  EXPECT_EQ(http.headers[1].value, "finops");
  EXPECT_EQ(http.ca_file, "/etc/ssl/private-ca.pem");
  EXPECT_EQ(http.client_cert, "/etc/costwatch/client.pem");
  EXPECT_EQ(http.client_key, "/etc/costwatch/client.key");
  EXPECT_FALSE(http.verify_tls);
}

TEST(ConfigSinks, HttpDefaults) {
  auto result = CheckSink("    type: http\n    url: http://localhost:8080/\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& http = std::get<sinks::HttpSinkOptions>(result.config.sinks[0].options);
  EXPECT_EQ(http.mode, sinks::HttpMode::kStructured);
  EXPECT_EQ(http.batch_size, 100U);
  EXPECT_EQ(http.timeout, std::chrono::seconds(10));
  EXPECT_TRUE(http.headers.empty());
  EXPECT_TRUE(http.verify_tls);
}

TEST(ConfigSinks, HttpProblems) {
  auto result = CheckSink(
      "    type: http\n"
      "    mode: binray\n"
      "    batch_size: 10\n"
      "    timeout: 1h\n"
      "    headers:\n"
      "      Content-Type: text/plain\n"
      "      \"Bad Header\": x\n"
      "    tls:\n"
      "      cert_file: a.pem\n"
      "      verfy: true\n");
  ASSERT_EQ(result.problems.size(), 8U) << Problems(result);
  EXPECT_EQ(result.problems[0].message, "missing required key 'url' in sinks[0]");
  EXPECT_EQ(result.problems[1].message,
            "sinks[0].mode must be structured, binary or batch, not 'binray' (did you mean "
            "'binary'?)");
  EXPECT_EQ(result.problems[2].message, "sinks[0].batch_size applies only to mode: batch");
  EXPECT_EQ(result.problems[3].message, "sinks[0].timeout must be between 1s and 10m, not 1h");
  EXPECT_EQ(result.problems[4].message,
            "sinks[0].headers.Content-Type is set by the sink and cannot be configured");
  EXPECT_EQ(result.problems[5].message,
            "sinks[0].headers.Bad Header: 'Bad Header' is not a header name");
  EXPECT_EQ(result.problems[6].message,
            "sinks[0].tls needs both cert_file and key_file, or neither");
  EXPECT_EQ(FormatProblem("c", result.problems[7]),
            "c:14:7: unknown key 'verfy' in sinks[0].tls (did you mean 'verify'?)");
}

TEST(ConfigSinks, TypeIsRequiredAndDecidesTheKeys) {
  auto missing = CheckSink("    path: x.jsonl\n");
  ASSERT_EQ(missing.problems.size(), 1U) << Problems(missing);
  EXPECT_EQ(missing.problems[0].message, "missing required key 'type' in sinks[0]");

  auto typo = CheckSink("    type: fiel\n    path: x\n    pth: y\n");
  ASSERT_EQ(typo.problems.size(), 2U) << Problems(typo);
  EXPECT_EQ(typo.problems[0].message,
            "sinks[0].type must be stdout, file, http or kafka, not 'fiel' (did you mean 'file'?)");
  EXPECT_EQ(typo.problems[1].message, "unknown key 'pth' in sinks[0] (did you mean 'path'?)");

  auto stdout_sink = CheckSink("    type: stdout\n    path: x\n");
  ASSERT_EQ(stdout_sink.problems.size(), 1U) << Problems(stdout_sink);
  EXPECT_EQ(stdout_sink.problems[0].message, "unknown key 'path' in sinks[0]");
}

TEST(ConfigSinks, NamesAreUniqueAndWellFormed) {
  auto result = Check(std::string(kMinimalSources) +
                      "sinks:\n"
                      "  - {name: out, type: stdout}\n"
                      "  - {name: out, type: stdout}\n"
                      "  - {name: Out!, type: stdout}\n");
  ASSERT_EQ(result.problems.size(), 2U) << Problems(result);
  EXPECT_EQ(result.problems[0].message,
            "sinks[1]: another sink is already named 'out'; names must be unique");
  EXPECT_THAT(result.problems[1].message, HasSubstr("'Out!' is not a valid name"));
}

}  // namespace
}  // namespace costwatch::config
