#include "util/json.h"

#include <array>
#include <cstring>

namespace costwatch {
namespace {

constexpr std::array<bool, 256> MakeNeedsEscape() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[static_cast<size_t>(c)] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}
constexpr std::array<bool, 256> kNeedsEscape = MakeNeedsEscape();

// Writes the escape for `c` (one of kNeedsEscape) at `p`; returns the end.
char* WriteEscape(char* p, unsigned char c) {
  *p++ = '\\';
  switch (c) {
    case '"':
      *p++ = '"';
      return p;
    case '\\':
      *p++ = '\\';
      return p;
    case '\b':
      *p++ = 'b';
      return p;
    case '\f':
      *p++ = 'f';
      return p;
    case '\n':
      *p++ = 'n';
      return p;
    case '\r':
      *p++ = 'r';
      return p;
    case '\t':
      *p++ = 't';
      return p;
    default: {
      constexpr std::string_view kHex = "0123456789abcdef";
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 0xF];
      return p;
    }
  }
}

}  // namespace

void AppendJsonString(ByteBuffer& out, std::string_view text) {
  // Room for the worst case (every byte a \u00xx escape), so the loop writes without checks.
  char* const begin = out.prepare(text.size() * 6 + 2);
  char* p = begin;
  *p++ = '"';
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (!kNeedsEscape[c]) {
      *p++ = raw;
      continue;
    }
    p = WriteEscape(p, c);
  }
  *p++ = '"';
  out.commit(static_cast<size_t>(p - begin));
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!kNeedsEscape[c]) continue;
    out.append(text.data() + run_start, i - run_start);
    char escape[6];
    out.append(escape, static_cast<size_t>(WriteEscape(escape, c) - escape));
    run_start = i + 1;
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
}

void AppendJsonSeparator(std::string& out) {
  if (!out.empty() && out.back() != '{' && out.back() != '[') out += ',';
}

void AppendJsonKey(std::string& out, std::string_view key) {
  AppendJsonSeparator(out);
  AppendJsonString(out, key);
  out += ':';
}

void AppendJsonMember(std::string& out, std::string_view key, std::string_view value) {
  AppendJsonKey(out, key);
  AppendJsonString(out, value);
}

void AppendJsonNullableMember(std::string& out, std::string_view key,
                              const std::optional<std::string>& value) {
  AppendJsonKey(out, key);
  if (value) {
    AppendJsonString(out, *value);
  } else {
    out += "null";
  }
}

}  // namespace costwatch
