// The MIME encodings an e-mail needs so that UTF-8 and long lines survive SMTP: base64 and
// quoted-printable bodies (RFC 2045) and encoded words in headers (RFC 2047).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace costwatch::notify::mime {

// Base64 (RFC 4648 §4) in lines of at most 76 characters, each ending in CRLF.
std::string Base64Lines(std::string_view bytes);

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text: '\n' (or "\r\n") becomes a CRLF line break,
// lines are at most 76 characters with soft breaks, '=', non-ASCII, control characters and
// trailing white space are encoded, and so is a '.' or "From " starting a line, which some
// relays mangle.
std::string QuotedPrintable(std::string_view text);

// A header value as it may appear in a message: unchanged when it is printable ASCII, else
// RFC 2047 "B" encoded words (=?UTF-8?B?...?=) folded with CRLF SP so that no line passes 76
// characters, never splitting a UTF-8 character. `used` is what precedes the value on its first
// line ("Subject: " is 9). Line breaks in `text` become spaces first.
std::string EncodeHeaderText(std::string_view text, size_t used = 0);

// RFC 5322 date-time in UTC: "Sun, 29 Nov 2026 16:50:10 +0000".
std::string Rfc5322Date(std::chrono::system_clock::time_point when);

}  // namespace costwatch::notify::mime
