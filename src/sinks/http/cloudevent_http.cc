#include "sinks/http/cloudevent_http.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace costwatch::sinks {
namespace {

using simdjson::ondemand::json_type;

// CloudEvents attribute names are lower-case ASCII letters and digits (spec §3.1.1); anything
// else cannot become a ce- header and means the stored JSON is not an event.
bool IsAttributeName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

// JSON format §3.1: data that is JSON is carried as JSON; a string under any other media type
// is the data itself. A missing datacontenttype means application/json.
bool IsJsonMediaType(std::string_view content_type) {
  std::string type(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type == "application/json" || type == "text/json" ||
         (type.size() > 5 && type.ends_with("+json"));
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                           text.back() == '\t' || text.back() == ','))
    text.remove_suffix(1);
  return text;
}

Error Malformed(std::string_view id, std::string_view what) {
  return Fail("event " + std::string(id) + " cannot be sent in binary mode: " + std::string(what));
}

}  // namespace

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
  // The stored JSON is parsed on demand so that `data` can be copied verbatim (raw_json), not
  // re-serialised: the body is then byte for byte the data the outbox holds.
  simdjson::ondemand::parser parser;
  const simdjson::padded_string padded(event.json);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(object) != simdjson::SUCCESS)
    return Malformed(event.id, "not a JSON object");

  HttpMessage message;
  std::optional<std::string> content_type;
  bool has_data = false;
  bool data_is_string = false;
  std::string data_string;  // a string data member, unescaped
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS)
      return Malformed(event.id, "malformed JSON");
    json_type type{};
    if (value.type().get(type) != simdjson::SUCCESS) return Malformed(event.id, "malformed JSON");
    if (key == "data") {
      // Captured now: on-demand values cannot be revisited once the next field is read.
      std::string_view raw;
      simdjson::error_code error = simdjson::SUCCESS;
      if (type == json_type::object) {
        simdjson::ondemand::object data_object;
        error = value.get_object().get(data_object);
        if (error == simdjson::SUCCESS) error = data_object.raw_json().get(raw);
      } else if (type == json_type::array) {
        simdjson::ondemand::array data_array;
        error = value.get_array().get(data_array);
        if (error == simdjson::SUCCESS) error = data_array.raw_json().get(raw);
      } else if (type == json_type::string) {
        raw = TrimRight(value.raw_json_token());
        std::string_view unescaped;
        error = value.get_string().get(unescaped);
        data_is_string = true;
        if (error == simdjson::SUCCESS) data_string = std::string(unescaped);
      } else {
        raw = TrimRight(value.raw_json_token());
      }
      if (error != simdjson::SUCCESS) return Malformed(event.id, "malformed data");
      message.body = std::string(raw);
      has_data = true;
      continue;
    }
    if (key == "data_base64") return Malformed(event.id, "data_base64 is not supported");
    if (!IsAttributeName(key)) return Malformed(event.id, "attribute name is not [a-z0-9]+");
    std::string text;
    switch (type) {
      case json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS)
          return Malformed(event.id, "malformed string");
        text = std::string(s);
        break;
      }
      case json_type::boolean: {
        bool b = false;
        if (value.get_bool().get(b) != simdjson::SUCCESS)
          return Malformed(event.id, "malformed boolean");
        text = b ? "true" : "false";
        break;
      }
      case json_type::number: {
        int64_t n = 0;
        if (value.get_int64().get(n) != simdjson::SUCCESS)
          return Malformed(event.id, "attribute " + std::string(key) + " is not an integer");
        text = std::to_string(n);
        break;
      }
      case json_type::null:
        continue;  // JSON format §2.4: null means the attribute is absent
      default:
        return Malformed(event.id, "attribute " + std::string(key) + " is not a string");
    }
    if (key == "datacontenttype") {
      // §3.1.1: it travels as Content-Type and MUST NOT also be a ce- header. It goes out
      // unencoded, so anything that could end the header line is refused.
      if (std::any_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E;
          }))
        return Malformed(event.id, "datacontenttype is not printable ASCII");
      content_type = std::move(text);
      continue;
    }
    message.headers.push_back({"ce-" + std::string(key), PercentEncodeHeaderValue(text)});
  }
  // Past the object's end current_location() is out of bounds; anything else is more JSON.
  const char* after = nullptr;
  if (doc.current_location().get(after) == simdjson::SUCCESS)
    return Malformed(event.id, "trailing content after the event");

  if (has_data) {
    if (!content_type) content_type = "application/json";
    if (data_is_string && !IsJsonMediaType(*content_type)) message.body = std::move(data_string);
  }
  if (content_type) message.headers.push_back({"Content-Type", std::move(*content_type)});
  return message;
}

}  // namespace costwatch::sinks
