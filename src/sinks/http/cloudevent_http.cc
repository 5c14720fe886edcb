#include "sinks/http/cloudevent_http.h"

#include <simdjson.h>

#include "sinks/cloudevent_binary.h"

namespace costwatch::sinks {

std::string PercentEncodeHeaderValue(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    // Non-ASCII characters are handled byte by byte: encoding each UTF-8 byte is exactly
    // "encode the character as UTF-8, then each byte as %XY".
    if (byte < 0x21 || byte > 0x7E || c == '"' || c == '%') {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out;
}

HttpMessage EncodeStructured(const EventRecord& event) {
  return {{{"Content-Type", std::string(kStructuredContentType)}}, std::string(event.json)};
}

HttpMessage EncodeBatch(std::span<const EventRecord> events) {
  size_t size = 2;
  for (const auto& e : events) size += e.json.size() + 1;
  HttpMessage message{{{"Content-Type", std::string(kBatchContentType)}}, {}};
  message.body.reserve(size);
  message.body += '[';
  for (size_t i = 0; i < events.size(); ++i) {
    if (i != 0) message.body += ',';
    message.body += events[i].json;
  }
  message.body += ']';
  return message;
}

Result<HttpMessage> EncodeBinary(const EventRecord& event) {
  simdjson::ondemand::parser parser;
  BinaryEvent split;
  if (auto ok = SplitBinary(event, parser, split); !ok) return ok.error();
  HttpMessage message;
  message.headers.reserve(split.attributes.size() + 1);
  for (const auto& [name, value] : split.attributes) {
    message.headers.push_back({"ce-" + name, PercentEncodeHeaderValue(value)});
  }
  if (split.content_type) message.headers.push_back({"Content-Type", *split.content_type});
  message.body = std::move(split.data);
  return message;
}

}  // namespace costwatch::sinks
