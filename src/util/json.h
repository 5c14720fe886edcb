// Writing JSON by hand, fast: events are written by the hundred thousand, so no DOM is built.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/byte_buffer.h"

namespace costwatch {

// Appends `text` as a JSON string literal, quotes included (RFC 8259: `"` and `\` escaped,
// control characters as \b \f \n \r \t or \u00xx, everything else, UTF-8 included, verbatim).
void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonString(ByteBuffer& out, std::string_view text);

// Members of an object and items of an array written one after another: each starts with a
// comma unless `out` has just opened the object or array.
void AppendJsonSeparator(std::string& out);
// ,"key":
void AppendJsonKey(std::string& out, std::string_view key);
// ,"key":"value"
void AppendJsonMember(std::string& out, std::string_view key, std::string_view value);
// ,"key":"value" or ,"key":null
void AppendJsonNullableMember(std::string& out, std::string_view key,
                              const std::optional<std::string>& value);

}  // namespace costwatch
