#include "sinks/cloudevent_binary.h"

#include <algorithm>
#include <cctype>

namespace costwatch::sinks {
namespace {

using simdjson::ondemand::json_type;

// CloudEvents attribute names are lower-case ASCII letters and digits (spec §3.1.1); anything
// else cannot become a header and means the stored JSON is not an event.
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

// The data member, captured as it is read: on-demand values cannot be revisited once the next
// field is read. JSON data is copied verbatim (raw_json), not re-serialised.
Result<void> ReadData(std::string_view id, simdjson::ondemand::value value, json_type type,
                      BinaryEvent& out, bool& data_is_string, std::string& data_string) {
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
    if (error == simdjson::SUCCESS) data_string.assign(unescaped);
  } else {
    raw = TrimRight(value.raw_json_token());
  }
  if (error != simdjson::SUCCESS) return Malformed(id, "malformed data");
  out.data.assign(raw);
  return {};
}

// An attribute's value as text; nullopt for null (JSON format §2.4: the attribute is absent).
Result<std::optional<std::string_view>> AttributeText(std::string_view id, std::string_view key,
                                                      simdjson::ondemand::value value,
                                                      json_type type, std::string& scratch) {
  switch (type) {
    case json_type::string: {
      std::string_view s;
      if (value.get_string().get(s) != simdjson::SUCCESS) return Malformed(id, "malformed string");
      return std::optional<std::string_view>(s);
    }
    case json_type::boolean: {
      bool b = false;
      if (value.get_bool().get(b) != simdjson::SUCCESS) return Malformed(id, "malformed boolean");
      return std::optional<std::string_view>(b ? "true" : "false");
    }
    case json_type::number: {
      int64_t n = 0;
      if (value.get_int64().get(n) != simdjson::SUCCESS)
        return Malformed(id, "attribute " + std::string(key) + " is not an integer");
      scratch = std::to_string(n);
      return std::optional<std::string_view>(scratch);
    }
    case json_type::null:
      return std::optional<std::string_view>();
    default:
      return Malformed(id, "attribute " + std::string(key) + " is not a string");
  }
}

}  // namespace

const std::string* BinaryEvent::attribute(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) return &value;
  }
  return nullptr;
}

Result<void> SplitBinary(const EventRecord& event, simdjson::ondemand::parser& parser,
                         BinaryEvent& out) {
  // A copy with simdjson's padding, into a buffer kept from the previous event: a sink splits
  // thousands per batch.
  out.padded.reserve(event.json.size() + simdjson::SIMDJSON_PADDING);
  out.padded.assign(event.json);
  const simdjson::padded_string_view padded(out.padded.data(), out.padded.size(),
                                            out.padded.capacity());
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(object) != simdjson::SUCCESS)
    return Malformed(event.id, "not a JSON object");

  size_t count = 0;
  out.content_type.reset();
  out.data.clear();
  bool has_data = false;
  bool data_is_string = false;
  std::string data_string;
  std::string scratch;
  for (auto field : object) {
    std::string_view key;
    simdjson::ondemand::value value;
    json_type type{};
    if (field.unescaped_key().get(key) != simdjson::SUCCESS ||
        field.value().get(value) != simdjson::SUCCESS ||
        value.type().get(type) != simdjson::SUCCESS)
      return Malformed(event.id, "malformed JSON");
    if (key == "data") {
      if (auto read = ReadData(event.id, value, type, out, data_is_string, data_string); !read)
        return read;
      has_data = true;
      continue;
    }
    if (key == "data_base64") return Malformed(event.id, "data_base64 is not supported");
    if (!IsAttributeName(key)) return Malformed(event.id, "attribute name is not [a-z0-9]+");
    auto text = AttributeText(event.id, key, value, type, scratch);
    if (!text) return text.error();
    if (!*text) continue;
    if (key == "datacontenttype") {
      // It travels as the content type, never as a ce header, and goes out unencoded, so
      // anything that could end a header line is refused.
      if (std::any_of((*text)->begin(), (*text)->end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E;
          }))
        return Malformed(event.id, "datacontenttype is not printable ASCII");
      out.content_type = std::string(**text);
      continue;
    }
    if (count == out.attributes.size()) out.attributes.emplace_back();
    out.attributes[count].first.assign(key);
    out.attributes[count].second.assign(**text);
    ++count;
  }
  out.attributes.resize(count);
  // Past the object's end current_location() is out of bounds; anything else is more JSON.
  const char* after = nullptr;
  if (doc.current_location().get(after) == simdjson::SUCCESS)
    return Malformed(event.id, "trailing content after the event");

  if (has_data) {
    if (!out.content_type) out.content_type = "application/json";
    if (data_is_string && !IsJsonMediaType(*out.content_type)) out.data = std::move(data_string);
  }
  return {};
}

}  // namespace costwatch::sinks
