// sinks[] of type kafka: every key, the checks made without a broker, and secrets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.h"
#include "config/redact.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using testing::kMinimalSources;
using ::testing::Not;
using testing::Problems;

CheckResult CheckKafka(const std::string& keys, std::map<std::string, std::string> vars = {}) {
  return Check(std::string(kMinimalSources) + "sinks:\n  - name: k\n    type: kafka\n" + keys,
               std::move(vars));
}

constexpr const char* kRequired = "    brokers: [127.0.0.1:9092]\n    topic: costs\n";

TEST(ConfigKafkaSink, Defaults) {
  auto result = CheckKafka(kRequired);
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& kafka = std::get<sinks::KafkaSinkOptions>(result.config.sinks[0].options);
  EXPECT_EQ(kafka.brokers, std::vector<std::string>{"127.0.0.1:9092"});
  EXPECT_EQ(kafka.topic, "costs");
  EXPECT_EQ(kafka.mode, sinks::KafkaMode::kBinary);
  EXPECT_EQ(kafka.key_attribute, "partitionkey");
  EXPECT_EQ(kafka.compression, sinks::KafkaCompression::kLz4);
  EXPECT_EQ(kafka.batch_size, 10000U);
  EXPECT_EQ(kafka.timeout, std::chrono::seconds(30));
  EXPECT_TRUE(kafka.properties.empty());
}

TEST(ConfigKafkaSink, EveryKey) {
  auto result = CheckKafka(
      "    brokers: [kafka1:9092, \"kafka2.example.com:19093\"]\n"
      "    topic: costs.{source}.{type}\n"
      "    mode: structured\n"
      "    key_attribute: source\n"
      "    compression: zstd\n"
      "    batch_size: 500\n"
      "    timeout: 5s\n"
      "    librdkafka:\n"
      "      security.protocol: SASL_SSL\n"
      "      sasl.mechanism: SCRAM-SHA-512\n"
      "      sasl.username: costwatch\n"
      "      sasl.password: ${KAFKA_PASSWORD}\n"
      "      linger.ms: 20\n",
      {{"KAFKA_PASSWORD", "hunter2-secret"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  const auto& kafka = std::get<sinks::KafkaSinkOptions>(result.config.sinks[0].options);
  EXPECT_EQ(kafka.brokers, (std::vector<std::string>{"kafka1:9092", "kafka2.example.com:19093"}));
  EXPECT_EQ(kafka.topic, "costs.{source}.{type}");
  EXPECT_EQ(kafka.mode, sinks::KafkaMode::kStructured);
  EXPECT_EQ(kafka.key_attribute, "source");
  EXPECT_EQ(kafka.compression, sinks::KafkaCompression::kZstd);
  EXPECT_EQ(kafka.batch_size, 500U);
  EXPECT_EQ(kafka.timeout, std::chrono::seconds(5));
  ASSERT_EQ(kafka.properties.size(), 5U);
  EXPECT_EQ(kafka.properties[3].name, "sasl.password");
  EXPECT_EQ(kafka.properties[3].value, "hunter2-secret");
  EXPECT_EQ(kafka.properties[4].value, "20");

  // The summary shows the settings but no password, whether from the environment or not.
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, HasSubstr("sink k: kafka kafka1:9092, kafka2.example.com:19093 topic "
                                 "costs.{source}.{type} (structured, key source, zstd, batch 500, "
                                 "timeout 5s, security.protocol=SASL_SSL"));
  EXPECT_THAT(summary, HasSubstr("sasl.password=<redacted>"));
  EXPECT_THAT(summary, Not(HasSubstr("hunter2")));
}

TEST(ConfigKafkaSink, SecretsWrittenInTheFileAreNotPrintedEither) {
  auto result = CheckKafka(std::string(kRequired) +
                           "    librdkafka:\n"
                           "      ssl.key.password: plain-in-file\n"
                           "      ssl.key.pem: \"-----BEGIN PRIVATE KEY-----\"\n");
  ASSERT_TRUE(result.ok()) << Problems(result);
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, HasSubstr("ssl.key.password=<redacted>, ssl.key.pem=<redacted>"));
  EXPECT_THAT(summary, Not(HasSubstr("plain-in-file")));
  EXPECT_THAT(summary, Not(HasSubstr("BEGIN")));
}

TEST(ConfigKafkaSink, BrokersAndTopicAreRequiredAndChecked) {
  auto missing = CheckKafka("    mode: binary\n");
  EXPECT_THAT(Problems(missing), HasSubstr("missing required key 'brokers' in sinks[0]"));
  EXPECT_THAT(Problems(missing), HasSubstr("missing required key 'topic' in sinks[0]"));

  auto bad = CheckKafka(
      "    brokers: [kafka1, \"a:b\", \"k:9092,k2:9092\", \"k:70000\", \"ok:1\"]\n"
      "    topic: costs/{source}\n");
  const std::string problems = Problems(bad);
  EXPECT_THAT(problems, HasSubstr("sinks[0].brokers: 'kafka1' is not host:port"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].brokers: 'a:b' is not host:port"));
  EXPECT_THAT(problems, HasSubstr("'k:9092,k2:9092' is not host:port"));
  EXPECT_THAT(problems, HasSubstr("'k:70000' is not host:port"));
  EXPECT_THAT(problems, Not(HasSubstr("'ok:1'")));
  EXPECT_THAT(problems, HasSubstr("sinks[0].topic: 'costs/{source}' may hold only letters"));
  EXPECT_EQ(bad.problems.size(), 5U) << problems;

  auto placeholder = CheckKafka("    brokers: [k:1]\n    topic: costs.{account}\n");
  EXPECT_THAT(Problems(placeholder),
              HasSubstr("sinks[0].topic: 'costs.{account}' has an unknown placeholder at "
                        "'{account}' (only {source} and {type})"));
}

TEST(ConfigKafkaSink, ChoicesSuggestTheClosest) {
  auto result = CheckKafka(std::string(kRequired) +
                           "    mode: binray\n"
                           "    compression: lz5\n"
                           "    key_attribute: Partition-Key\n"
                           "    batch_size: 0\n"
                           "    timeout: 100ms\n");
  const std::string problems = Problems(result);
  EXPECT_THAT(problems, HasSubstr("sinks[0].mode must be binary or structured, not 'binray' (did "
                                  "you mean 'binary'?)"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].compression must be none, gzip, snappy, lz4 or zstd, "
                                  "not 'lz5' (did you mean 'lz4'?)"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].key_attribute: 'Partition-Key' is not a CloudEvents "
                                  "attribute name"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].batch_size"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].timeout"));
  EXPECT_EQ(result.problems.size(), 5U) << problems;

  auto no_key = CheckKafka(std::string(kRequired) + "    key_attribute: \"\"\n");
  ASSERT_TRUE(no_key.ok()) << Problems(no_key);
  EXPECT_EQ(std::get<sinks::KafkaSinkOptions>(no_key.config.sinks[0].options).key_attribute, "");
}

TEST(ConfigKafkaSink, LibrdkafkaPropertiesAreCheckedByLibrdkafka) {
  auto result = CheckKafka(std::string(kRequired) +
                               "    librdkafka:\n"
                               "      sasl.mechanismz: PLAIN\n"
                               "      linger.ms: soon\n"
                               "      acks: 1\n"
                               "      bootstrap.servers: other:9092\n"
                               "      enable.idempotence: false\n"
                               "      security.protocol: ${PROTO}\n",
                           {{"PROTO", "carrier-pigeon"}});
  const std::string problems = Problems(result);
  EXPECT_THAT(problems, HasSubstr("sinks[0].librdkafka.sasl.mechanismz: 'sasl.mechanismz' is not "
                                  "a librdkafka property"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].librdkafka.linger.ms: "));
  EXPECT_THAT(problems, HasSubstr("sinks[0].librdkafka.acks is set by the sink (see nothing: "
                                  "acks is always all)"));
  EXPECT_THAT(problems,
              HasSubstr("sinks[0].librdkafka.bootstrap.servers is set by the sink (see brokers)"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].librdkafka.enable.idempotence is set by the sink"));
  EXPECT_THAT(problems, HasSubstr("sinks[0].librdkafka.security.protocol: "));
  EXPECT_EQ(result.problems.size(), 6U) << problems;
}

TEST(ConfigKafkaSink, SecretPropertiesComeFromTheEnvironment) {
  auto result = CheckKafka(std::string(kRequired) +
                               "    librdkafka:\n"
                               "      sasl.password: ${PW}\n",
                           {{"PW", "s3cr3t-value"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  auto missing = CheckKafka(std::string(kRequired) +
                            "    librdkafka:\n"
                            "      sasl.password: ${NOT_SET}\n");
  EXPECT_THAT(Problems(missing), HasSubstr("sinks[0].librdkafka.sasl.password: environment "
                                           "variable NOT_SET is not set"));
}

TEST(ConfigKafkaSink, KeysOfOtherTypesAreRefused) {
  auto result = CheckKafka(std::string(kRequired) + "    url: http://x\n");
  EXPECT_THAT(Problems(result), HasSubstr("unknown key 'url' in sinks[0]"));
}

}  // namespace
}  // namespace costwatch::config
