#include "sinks/kafka/kafka_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "sinks/kafka/kafka_settings.h"

namespace costwatch::sinks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// A cost event as costwatch stores it: a source a topic name cannot hold, a non-ASCII service,
// data with quotes and backslashes.
constexpr std::string_view kEvent =
    R"({"specversion":"1.0","id":"9d6d25ec85e586199c0949b41d55c9b9","source":"urn:billing/Euro € \"100%\"","type":"amazon.billing.daily","datacontenttype":"application/json","time":"2023-01-27T00:00:00Z","partitionkey":"123456789012","data":{"date":"2023-01-27","account":"123456789012","service":"Amazon \"Q\" \\ Café","estimated":false,"amortizedCost":{"amount":"0.2672917174","unit":"USD"}}})";
constexpr std::string_view kData =
    R"({"date":"2023-01-27","account":"123456789012","service":"Amazon \"Q\" \\ Café","estimated":false,"amortizedCost":{"amount":"0.2672917174","unit":"USD"}})";

KafkaRecord Encode(KafkaMode mode, std::string_view json, std::string topic = "costs",
                   std::string key = "partitionkey") {
  KafkaRecordEncoder encoder(mode, std::move(topic), std::move(key));
  KafkaRecord record;
  auto ok = encoder.Encode({"id", json}, record);
  EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().message);
  record.value = std::string_view();  // the encoder that owns it is gone
  return record;
}

TEST(KafkaRecordTest, BinaryModeMapsEveryAttributeToACeHeaderUnencoded) {
  KafkaRecordEncoder encoder(KafkaMode::kBinary, "costs", "partitionkey");
  KafkaRecord record;
  ASSERT_TRUE(encoder.Encode({"id", kEvent}, record).ok());
  // §3.2.3: ce_ plus the attribute name; values as UTF-8, no percent-encoding (that is HTTP's).
  EXPECT_THAT(
      record.headers,
      ElementsAre(Pair("ce_specversion", "1.0"), Pair("ce_id", "9d6d25ec85e586199c0949b41d55c9b9"),
                  Pair("ce_source", "urn:billing/Euro € \"100%\""),
                  Pair("ce_type", "amazon.billing.daily"), Pair("ce_time", "2023-01-27T00:00:00Z"),
                  Pair("ce_partitionkey", "123456789012"),
                  Pair("content-type", "application/json")));
  // §3.2.2: the data bytes as the value, exactly as stored.
  EXPECT_EQ(record.value, kData);
  // §3.1: the partitionkey key mapper, and the attribute stays on the event.
  EXPECT_EQ(record.key, "123456789012");
  EXPECT_EQ(record.topic, "costs");
}

TEST(KafkaRecordTest, StructuredModeSendsTheStoredEvent) {
  KafkaRecordEncoder encoder(KafkaMode::kStructured, "costs", "partitionkey");
  KafkaRecord record;
  ASSERT_TRUE(encoder.Encode({"id", kEvent}, record).ok());
  EXPECT_THAT(record.headers,
              ElementsAre(Pair("content-type", "application/cloudevents+json; charset=UTF-8")));
  EXPECT_EQ(record.value, kEvent);
  EXPECT_EQ(record.key, "123456789012");
}

TEST(KafkaRecordTest, TheKeyComesFromTheConfiguredAttributeIfPresent) {
  EXPECT_EQ(Encode(KafkaMode::kBinary, kEvent, "t", "type").key, "amazon.billing.daily");
  EXPECT_EQ(Encode(KafkaMode::kBinary, kEvent, "t", "").key, std::nullopt);
  EXPECT_EQ(Encode(KafkaMode::kStructured, kEvent, "t", "missing").key, std::nullopt);
  // An event without partitionkey (ungrouped costs, alarms) has no key: it is not made up.
  constexpr std::string_view kUngrouped =
      R"({"specversion":"1.0","id":"x","source":"s","type":"t","data":{"a":1}})";
  EXPECT_EQ(Encode(KafkaMode::kBinary, kUngrouped).key, std::nullopt);
}

TEST(KafkaRecordTest, TopicsPerSourceOrTypeHoldOnlyTopicCharacters) {
  EXPECT_EQ(Encode(KafkaMode::kBinary, kEvent, "costs.{type}").topic, "costs.amazon.billing.daily");
  // ':', '/', ' ', '"', '%' and each byte of '€' become '_'.
  EXPECT_EQ(Encode(KafkaMode::kBinary, kEvent, "{source}-{type}").topic,
            "urn_billing_Euro______100__-amazon.billing.daily");
  EXPECT_EQ(ExpandTopic("a{source}b{type}c{source}", "x", "y"), "axbycx");

  KafkaRecordEncoder encoder(KafkaMode::kBinary, "{source}", "partitionkey");
  KafkaRecord record;
  const std::string long_source =
      R"({"specversion":"1.0","id":"i","source":")" + std::string(250, 's') + R"(","type":"t"})";
  auto too_long = encoder.Encode({"i", long_source}, record);
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.error().message, HasSubstr("longer than 249"));
}

TEST(KafkaRecordTest, TopicTemplatesAreChecked) {
  EXPECT_EQ(CheckTopicTemplate("costs.{source}.{type}"), std::nullopt);
  EXPECT_EQ(CheckTopicTemplate("Costs_2-x"), std::nullopt);
  EXPECT_TRUE(CheckTopicTemplate(""));
  EXPECT_TRUE(CheckTopicTemplate("costs/x"));
  EXPECT_TRUE(CheckTopicTemplate("costs.{account}"));
  EXPECT_TRUE(CheckTopicTemplate("costs.{source"));
  EXPECT_TRUE(CheckTopicTemplate(".."));
  EXPECT_TRUE(CheckTopicTemplate(std::string(250, 'a')));
  EXPECT_EQ(CheckTopicTemplate(std::string(249, 'a')), std::nullopt);
}

TEST(KafkaRecordTest, WhatBinaryModeCannotCarryIsRefusedByName) {
  KafkaRecordEncoder encoder(KafkaMode::kStructured, "costs", "partitionkey");
  KafkaRecord record;
  for (const std::string_view bad :
       {std::string_view(R"([1,2])"), std::string_view(R"({"id":"x","source":"s"})"),
        std::string_view(R"({"specversion":"1.0","id":"x","source":"s","type":"t","Bad":1})"),
        std::string_view(R"({"id":"x","source":"s","type":"t","data_base64":"AA=="})")}) {
    auto result = encoder.Encode({"evt-1", bad}, record);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_THAT(result.error().message, HasSubstr("evt-1")) << bad;
  }
  // The encoder recovers: the next good event encodes.
  EXPECT_TRUE(encoder.Encode({"id", kEvent}, record).ok());
}

// The conformance suite's Kafka cases (tests/data/cloudevents/kafka-protocol-binding.feature):
// the structured case's event, sent in binary mode, is the binary case's message.
struct Feature {
  std::string binary_payload;
  std::map<std::string, std::string> binary_headers;
  std::string structured_payload;
  std::vector<std::string> structured_content_types;
};

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  const size_t end = text.find_last_not_of(" \t");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

Feature ReadFeature() {
  std::ifstream in(COSTWATCH_TEST_DATA_DIR "/cloudevents/kafka-protocol-binding.feature");
  Feature feature;
  std::string line;
  std::string scenario;
  std::string* payload = nullptr;
  bool in_headers = false;
  bool in_examples = false;
  bool skipping = false;  // inside a block that is not a payload
  while (std::getline(in, line)) {
    const std::string text = Trim(line);
    if (text.starts_with("Scenario")) scenario = text;
    const bool binary = scenario.find("Binary") != std::string::npos;
    if (text == "\"\"\"") {
      // The first block of a scenario is its message's payload; later ones are expectations.
      std::string* target = binary ? &feature.binary_payload : &feature.structured_payload;
      if (payload != nullptr) {
        payload = nullptr;
        skipping = false;
      } else if (target->empty()) {
        payload = target;
      } else {
        skipping = !skipping;
      }
      continue;
    }
    if (skipping) continue;
    if (payload != nullptr) {
      *payload += text;
      continue;
    }
    if (text.starts_with("And Kafka headers:")) in_headers = binary;
    if (text.starts_with("Examples:")) in_examples = true;
    if (text.empty() || !text.starts_with("|")) {
      if (!text.starts_with("And Kafka headers:")) in_headers = false;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream row(text.substr(1));
    std::string cell;
    while (std::getline(row, cell, '|')) cells.push_back(Trim(cell));
    if (in_headers && cells.size() >= 2 && cells[0] != "key") {
      feature.binary_headers[cells[0]] = cells[1];
    }
    if (in_examples && !cells.empty() && cells[0] != "contentType") {
      feature.structured_content_types.push_back(cells[0]);
    }
  }
  return feature;
}

std::string Minified(std::string_view json) {
  std::string out(json.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(simdjson::minify(json.data(), json.size(), out.data(), length), simdjson::SUCCESS);
  out.resize(length);
  return out;
}

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

TEST(KafkaRecordTest, ConformanceSuiteCases) {
  const Feature feature = ReadFeature();
  ASSERT_EQ(feature.binary_headers.size(), 6U);
  ASSERT_FALSE(feature.structured_payload.empty());
  ASSERT_EQ(feature.structured_content_types.size(), 2U);

  KafkaRecordEncoder binary(KafkaMode::kBinary, "mytopic", "partitionkey");
  KafkaRecord record;
  auto encoded = binary.Encode({"1234-1234-1234", feature.structured_payload}, record);
  ASSERT_TRUE(encoded.ok()) << encoded.error().message << "\n" << feature.structured_payload;
  const std::map<std::string, std::string> headers(record.headers.begin(), record.headers.end());
  EXPECT_EQ(headers, feature.binary_headers);
  EXPECT_EQ(Minified(record.value), Minified(feature.binary_payload));
  EXPECT_EQ(record.key, std::nullopt);

  // Structured mode announces the JSON format as the cases spell it (charset case aside).
  KafkaRecordEncoder structured(KafkaMode::kStructured, "mytopic", "partitionkey");
  ASSERT_TRUE(structured.Encode({"1234-1234-1234", feature.structured_payload}, record).ok());
  ASSERT_EQ(record.headers.size(), 1U);
  EXPECT_EQ(Lower(record.headers[0].second), Lower(feature.structured_content_types[1]));
  EXPECT_EQ(record.value, feature.structured_payload);
}

}  // namespace
}  // namespace costwatch::sinks
