#include "notify/email/mime.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace costwatch::notify::mime {
namespace {

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kHex = "0123456789ABCDEF";

std::string Base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1]))
                                << 8 |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[n >> 18 & 63];
    out += kBase64[n >> 12 & 63];
    out += kBase64[n >> 6 & 63];
    out += kBase64[n & 63];
  }
  if (const size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kBase64[n >> 18 & 63];
    out += kBase64[n >> 12 & 63];
    out += rest == 2 ? kBase64[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

void AppendEscaped(std::string& out, unsigned char byte) {
  out += '=';
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

// A '.' alone on a line ends the SMTP data, and "From " starts a new message in mbox files;
// relays that guard against either may change the text, so such a line start is encoded.
bool StartsLineBadly(std::string_view rest) {
  return rest.starts_with('.') || rest.starts_with("From ");
}

// One line of quoted-printable (no line break in `line`), with soft breaks.
void AppendQuotedLine(std::string& out, std::string_view line) {
  constexpr size_t kMaxLine = 76;
  size_t length = 0;  // of the current output line
  for (size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    const bool last = i + 1 == line.size();
    const bool blank = byte == ' ' || byte == '\t';
    // White space at the end of a line is dropped by some transports, so it is encoded.
    bool escape = byte == '=' || (byte < 0x20 && byte != '\t') || byte > 0x7E || (blank && last);
    // A soft break needs room for its '=' unless this is the line's last character.
    if (length + (escape ? 3 : 1) > (last ? kMaxLine : kMaxLine - 1)) {
      out += "=\r\n";
      length = 0;
    }
    if (length == 0 && StartsLineBadly(line.substr(i))) escape = true;
    if (escape) {
      AppendEscaped(out, byte);
      length += 3;
    } else {
      out += static_cast<char>(byte);
      length += 1;
    }
  }
}

}  // namespace

std::string Base64Lines(std::string_view bytes) {
  constexpr size_t kLine = 76;
  const std::string encoded = Base64(bytes);
  std::string out;
  for (size_t at = 0; at < encoded.size(); at += kLine) {
    out += encoded.substr(at, kLine);
    out += "\r\n";
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    const bool has_break = end != std::string_view::npos;
    if (!has_break) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    AppendQuotedLine(out, line);
    if (!has_break) break;
    out += "\r\n";
    start = end + 1;
  }
  return out;
}

std::string EncodeHeaderText(std::string_view text, size_t used) {
  std::string clean;
  bool printable = true;
  for (const char c : text) {
    const char kept = c == '\r' || c == '\n' ? ' ' : c;
    const auto byte = static_cast<unsigned char>(kept);
    if (byte < 0x20 || byte > 0x7E) printable = false;
    // "=?" in plain text could be taken for the start of an encoded word.
    clean += kept;
  }
  if (printable && clean.find("=?") == std::string::npos) return clean;
  // RFC 2047 §2: lines with encoded words at most 76 characters, a word at most 75. A word
  // spends 12 on "=?UTF-8?B?" and "?="; each 4 base64 characters carry 3 bytes.
  constexpr size_t kMaxLine = 76;
  constexpr size_t kWordOverhead = 12;
  std::string out;
  size_t at = 0;
  while (at < clean.size()) {
    // A continuation line starts with the folding space.
    const size_t room = out.empty() ? kMaxLine - std::min(used, kMaxLine - 24) : kMaxLine - 1;
    const size_t max_bytes = (std::min<size_t>(room, 75) - kWordOverhead) / 4 * 3;
    size_t end = std::min(clean.size(), at + max_bytes);
    while (end < clean.size() && end > at && IsContinuationByte(clean[end])) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(clean).substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

std::string Rfc5322Date(std::chrono::system_clock::time_point when) {
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto seconds = std::chrono::floor<std::chrono::seconds>(when);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(seconds - day);
  const auto two = [](long value) {
    return std::string(value < 10 ? "0" : "") + std::to_string(value);
  };
  return std::string(kDays[std::chrono::weekday(day).c_encoding()]) + ", " +
         two(static_cast<unsigned>(date.day())) + " " +
         std::string(kMonths[static_cast<unsigned>(date.month()) - 1]) + " " +
         std::to_string(static_cast<int>(date.year())) + " " + two(time.hours().count()) + ":" +
         two(time.minutes().count()) + ":" + two(time.seconds().count()) + " +0000";
}

}  // namespace costwatch::notify::mime
