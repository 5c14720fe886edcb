// CloudEvents Kafka protocol binding v1.0.2, the encoding half: a stored event (structured JSON,
// docs/events.md) becomes the topic, key, headers and value of one Kafka record, apart from the
// producer, so both content modes are tested byte for byte without a broker.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sinks/cloudevent_binary.h"
#include "sinks/sink.h"
#include "sinks/sink_options.h"
#include "util/result.h"

namespace costwatch::sinks {

// Kafka binding §3.3.1, with the charset spelled as the spec's example does.
inline constexpr std::string_view kKafkaStructuredContentType =
    "application/cloudevents+json; charset=UTF-8";

struct KafkaRecord {
  std::string topic;
  std::optional<std::string> key;
  std::vector<std::pair<std::string, std::string>> headers;  // in order
  std::string_view value;  // into the event (structured) or the encoder (binary)
};

class KafkaRecordEncoder {
 public:
  KafkaRecordEncoder(KafkaMode mode, std::string topic_template, std::string key_attribute);

  // Binary mode (§3.2): every attribute but datacontenttype as a ce_<name> header, its value as
  // UTF-8 text without any encoding; datacontenttype as content-type; data as the value.
  // Structured mode (§3.3): the stored JSON as the value, content-type the JSON event format.
  // In both the key is the key attribute's value as it is (§3.1, the partitionkey key mapper)
  // and the event is not changed. `out` stays valid until the next call. Fails, naming the
  // event, when it is not a CloudEvent binary mode can carry or its topic is too long.
  Result<void> Encode(const EventRecord& event, KafkaRecord& out);

 private:
  KafkaMode mode_;
  std::string topic_template_;
  std::string key_attribute_;
  simdjson::ondemand::parser parser_;
  BinaryEvent split_;
};

}  // namespace costwatch::sinks
