// The half of every CloudEvents binary content mode that does not depend on the protocol: a
// stored event (structured JSON, docs/events.md) split into its attributes, its
// datacontenttype and its data bytes. The HTTP binding percent-encodes the attributes into ce-
// headers, the Kafka binding writes them as ce_ headers as they are.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sinks/sink.h"
#include "util/result.h"

namespace costwatch::sinks {

struct BinaryEvent {
  // Every attribute but datacontenttype, in the order of the stored JSON, values as text
  // (booleans as true/false, integers in decimal); null attributes are absent.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::optional<std::string> content_type;  // application/json when there is data but none set
  std::string data;                         // the data bytes; empty without data
  std::string padded;  // the event with simdjson's padding, reused from event to event

  // The value of the attribute `name`, or nullptr.
  [[nodiscard]] const std::string* attribute(std::string_view name) const;
};

// Fills `out` (reusing its buffers) from the event. Fails, naming the event, when the stored
// JSON is not a CloudEvent object that binary mode can carry (data_base64, a non-[a-z0-9]
// attribute name, an attribute that is an object, a datacontenttype with control characters).
// `parser` is reused across calls, as simdjson intends.
Result<void> SplitBinary(const EventRecord& event, simdjson::ondemand::parser& parser,
                         BinaryEvent& out);

}  // namespace costwatch::sinks
