// Writing JSON by hand, fast: events are written by the hundred thousand, so no DOM is built.
#pragma once

#include <string>
#include <string_view>

#include "util/byte_buffer.h"

namespace costwatch {

// Appends `text` as a JSON string literal, quotes included (RFC 8259: `"` and `\` escaped,
// control characters as \b \f \n \r \t or \u00xx, everything else, UTF-8 included, verbatim).
void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonString(ByteBuffer& out, std::string_view text);

}  // namespace costwatch
