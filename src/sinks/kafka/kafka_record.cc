#include "sinks/kafka/kafka_record.h"

#include "sinks/kafka/kafka_settings.h"

namespace costwatch::sinks {

KafkaRecordEncoder::KafkaRecordEncoder(KafkaMode mode, std::string topic_template,
                                       std::string key_attribute)
    : mode_(mode),
      topic_template_(std::move(topic_template)),
      key_attribute_(std::move(key_attribute)) {}

Result<void> KafkaRecordEncoder::Encode(const EventRecord& event, KafkaRecord& out) {
  // Structured mode needs the attributes too: the topic and the key come from them.
  if (auto split = SplitBinary(event, parser_, split_); !split) return split;
  const std::string* source = split_.attribute("source");
  const std::string* type = split_.attribute("type");
  if (source == nullptr || type == nullptr) {
    return Fail("event " + std::string(event.id) + " has no source or type attribute");
  }
  ExpandTopicInto(out.topic, topic_template_, *source, *type);
  if (out.topic.size() > kMaxTopicLength) {
    return Fail("event " + std::string(event.id) + ": its topic would be longer than " +
                std::to_string(kMaxTopicLength) + " characters");
  }
  const std::string* key = key_attribute_.empty() ? nullptr : split_.attribute(key_attribute_);
  if (key != nullptr && out.key) {
    out.key->assign(*key);  // keeps the buffer
  } else if (key != nullptr) {
    out.key.emplace(*key);
  } else {
    out.key.reset();
  }

  size_t count = 0;
  const auto header = [&](std::string_view name_prefix, std::string_view name,
                          std::string_view value) {
    if (count == out.headers.size()) out.headers.emplace_back();
    auto& [header_name, header_value] = out.headers[count++];
    header_name.assign(name_prefix);
    header_name.append(name);
    header_value.assign(value);
  };
  if (mode_ == KafkaMode::kStructured) {
    header("", "content-type", kKafkaStructuredContentType);
    out.value = event.json;
  } else {
    for (const auto& [name, value] : split_.attributes) header("ce_", name, value);
    if (split_.content_type) header("", "content-type", *split_.content_type);
    out.value = split_.data;
  }
  out.headers.resize(count);
  return {};
}

}  // namespace costwatch::sinks
