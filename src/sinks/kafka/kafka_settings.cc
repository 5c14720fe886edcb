#include "sinks/kafka/kafka_settings.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

namespace costwatch::sinks {
namespace {

bool IsTopicChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

constexpr std::array<std::string_view, 2> kPlaceholders = {"{source}", "{type}"};

}  // namespace

std::optional<std::string> CheckTopicTemplate(std::string_view topic) {
  if (topic.empty()) return "must not be empty";
  size_t literal = 0;
  for (size_t i = 0; i < topic.size();) {
    if (topic[i] == '{') {
      const auto placeholder =
          std::find_if(kPlaceholders.begin(), kPlaceholders.end(),
                       [&](std::string_view p) { return topic.substr(i).starts_with(p); });
      if (placeholder == kPlaceholders.end()) {
        return "has an unknown placeholder at '" + std::string(topic.substr(i)) +
               "' (only {source} and {type})";
      }
      i += placeholder->size();
      continue;
    }
    if (!IsTopicChar(topic[i])) {
      return "may hold only letters, digits, '.', '_', '-' and the placeholders {source} and "
             "{type}";
    }
    ++literal;
    ++i;
  }
  if (literal > kMaxTopicLength) return "is longer than Kafka's 249 characters";
  if (topic == "." || topic == "..") return "cannot be '.' or '..'";
  return std::nullopt;
}

std::string ExpandTopic(std::string_view topic, std::string_view source, std::string_view type) {
  std::string out;
  ExpandTopicInto(out, topic, source, type);
  return out;
}

void ExpandTopicInto(std::string& out, std::string_view topic, std::string_view source,
                     std::string_view type) {
  out.clear();
  const auto append = [&](std::string_view value) {
    for (const char c : value) out += IsTopicChar(c) ? c : '_';
  };
  for (size_t i = 0; i < topic.size();) {
    if (topic.substr(i).starts_with("{source}")) {
      append(source);
      i += 8;
    } else if (topic.substr(i).starts_with("{type}")) {
      append(type);
      i += 6;
    } else {
      out += topic[i++];
    }
  }
}

std::optional<std::string> ManagedProperty(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kManaged = {{
      {"bootstrap.servers", "brokers"},
      {"metadata.broker.list", "brokers"},
      {"compression.type", "compression"},
      {"compression.codec", "compression"},
      {"message.timeout.ms", "timeout"},
      {"delivery.timeout.ms", "timeout"},
      {"acks", "nothing: acks is always all"},
      {"request.required.acks", "nothing: acks is always all"},
      {"enable.idempotence", "nothing: the producer is always idempotent"},
      {"transactional.id", "nothing: costwatch does not use transactions"},
      {"client.software.name", "nothing: it is costwatch"},
  }};
  for (const auto& [property, key] : kManaged) {
    if (name == property) return std::string(key);
  }
  return std::nullopt;
}

bool IsSecretProperty(std::string_view name) {
  // The key material itself, besides anything named like a password or secret.
  static constexpr std::array<std::string_view, 4> kSecrets = {
      "ssl.key.pem", "ssl_key", "sasl.oauthbearer.config", "ssl.keystore.password"};
  return name.find("password") != std::string_view::npos ||
         name.find("secret") != std::string_view::npos ||
         std::find(kSecrets.begin(), kSecrets.end(), name) != kSecrets.end();
}

Result<void> CheckProperty(std::string_view name, std::string_view value) {
  const std::unique_ptr<rd_kafka_conf_t, decltype(&rd_kafka_conf_destroy)> conf(
      rd_kafka_conf_new(), &rd_kafka_conf_destroy);
  std::array<char, 512> error{};
  const std::string key(name);
  const std::string text(value);
  switch (rd_kafka_conf_set(conf.get(), key.c_str(), text.c_str(), error.data(), error.size())) {
    case RD_KAFKA_CONF_OK:
      return {};
    case RD_KAFKA_CONF_UNKNOWN:
      return Fail("'" + key + "' is not a librdkafka property");
    case RD_KAFKA_CONF_INVALID:
      break;
  }
  if (IsSecretProperty(name)) return Fail("librdkafka refuses the value");
  return Fail(std::string(error.data()));
}

std::string_view CompressionName(KafkaCompression compression) {
  switch (compression) {
    case KafkaCompression::kGzip:
      return "gzip";
    case KafkaCompression::kSnappy:
      return "snappy";
    case KafkaCompression::kLz4:
      return "lz4";
    case KafkaCompression::kZstd:
      return "zstd";
    case KafkaCompression::kNone:
      break;
  }
  return "none";
}

std::string_view ModeName(KafkaMode mode) {
  return mode == KafkaMode::kStructured ? "structured" : "binary";
}

}  // namespace costwatch::sinks
