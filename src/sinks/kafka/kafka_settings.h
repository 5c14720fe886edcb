// What the config module and the Kafka sink both need to know about the sink's settings: the
// topic template, which librdkafka properties the sink owns, which are secrets, and librdkafka's
// own check of a property. Nothing here talks to a broker.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sinks/sink_options.h"
#include "util/result.h"

namespace costwatch::sinks {

// Kafka refuses topic names longer than this.
inline constexpr size_t kMaxTopicLength = 249;

// nullopt when `topic` is a valid template: literal characters Kafka allows in a topic name
// ([A-Za-z0-9._-]) and the placeholders {source} and {type}; else what is wrong with it.
std::optional<std::string> CheckTopicTemplate(std::string_view topic);

// The topic of an event: the template with {source} and {type} replaced, every character a topic
// name cannot hold (':' and '/' of a URI source) written as '_'.
std::string ExpandTopic(std::string_view topic, std::string_view source, std::string_view type);
// The same into `out`, reusing its buffer.
void ExpandTopicInto(std::string& out, std::string_view topic, std::string_view source,
                     std::string_view type);

// The sink key that sets a property the sink manages itself (bootstrap.servers is `brokers`,
// acks is always all, ...), or nullopt when the property may be passed through.
std::optional<std::string> ManagedProperty(std::string_view name);

// Properties that hold credentials (sasl.password, ssl.key.password, ssl.key.pem, ...): never
// printed.
bool IsSecretProperty(std::string_view name);

// librdkafka's own check of one property (known name, valid value), made locally. The message
// quotes the value only when it is not a secret.
Result<void> CheckProperty(std::string_view name, std::string_view value);

std::string_view CompressionName(KafkaCompression compression);
std::string_view ModeName(KafkaMode mode);

}  // namespace costwatch::sinks
