#include "aws/redact.h"

namespace costwatch::aws {
namespace {

constexpr size_t kMinSecretRun = 32;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '+' || c == '=';
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!IsKeyChar(text[i])) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsKeyChar(text[end])) ++end;
    if (end - i >= kMinSecretRun) {
      out += "<redacted>";
    } else {
      out += text.substr(i, end - i);
    }
    i = end;
  }
  return out;
}

std::string SafeFirstLine(std::string_view text, size_t max_length) {
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text = text.substr(start);
  text = text.substr(0, text.find_first_of("\r\n"));
  std::string printable;
  for (char c : text) printable += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  while (!printable.empty() && printable.back() == ' ') printable.pop_back();
  std::string redacted = RedactSecrets(printable);
  if (redacted.size() > max_length) redacted = redacted.substr(0, max_length) + "...";
  return redacted;
}

}  // namespace costwatch::aws
