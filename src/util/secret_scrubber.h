// Keeping configured secrets out of everything costwatch records, prints or serves. Receivers that
// refuse a request often quote it back (its request line, its headers, its body): JSON-escaped
// (`https:\/\/hooks...`, `\u002f`), percent-encoded in either case, as HTML entities, as a
// Python repr, and cut to a few hundred bytes. A message built from such an answer goes through
// one SecretScrubber before it lands in the state (dead letters, last errors), on stderr, in
// `costwatch status`, in /api/health or in `costwatch alarm test`.
//
// The scrubber is given the secrets as configured and derives what a receiver could quote of
// them: the bare token after an authentication scheme ("Bearer x", "Basic x" and the user:password
// it encodes), the path, each non-trivial path segment, the last segment and the query values of a
// secret URL, the user information of any URL, the base64 forms an SMTP password travels in. The
// text is then searched as written and decoded once and twice (JSON escapes, percent-encoding,
// HTML entities, \xHH), so every mix of encodings is found; a secret cut short by the end of the
// text (or by "...", a quote, a space) is found by its first characters.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace costwatch {

// What a scrubbed secret is replaced with.
inline constexpr std::string_view kScrubbed = "[redacted]";

class SecretScrubber {
 public:
  // Values this short are no secret worth hiding, and scrubbing every "x" or "1" would mangle
  // messages.
  static constexpr size_t kMinSecret = 4;
  // A secret cut off by the end of a quote is recognised by this many of its first characters.
  static constexpr size_t kMinCut = 4;

  // A configured secret: a token, a password, a header value. A URL ("scheme://...") is added as
  // AddSecretUrl adds it; "Scheme credential" (Bearer, Basic, Token, ...) adds the credential
  // alone, and for Basic the user:password it decodes to and the password.
  void Add(std::string_view secret);
  // A value hidden as it is, with nothing derived from it (a value from the environment, which
  // may be anything from a token to a host name).
  void AddLiteral(std::string_view secret);
  // A URL that is a credential as a whole (a Slack, Teams or webhook URL): the URL, its path
  // with and without the query, the last path segment unless it is a plain lower-case word
  // ("events"), every path segment and query value that looks like a token (8 characters with a
  // digit, or 16), the query, and the user information.
  void AddSecretUrl(std::string_view url);
  // A URL whose host and path are not secret (an endpoint, an HTTP sink): its user information
  // (user:password and the password) and the values of query parameters named like credentials
  // (token, key, sig, secret, password, auth, code).
  void AddUrlCredentials(std::string_view url);
  // An SMTP password: as is, and base64-encoded as AUTH LOGIN and AUTH PLAIN send it.
  void AddPassword(std::string_view user, std::string_view password);
  // Everything `other` knows.
  void Merge(const SecretScrubber& other);

  [[nodiscard]] bool empty() const { return forms_.empty(); }
  // Every form the scrubber looks for, for tests and diagnostics of the scrubber itself.
  [[nodiscard]] std::vector<std::string> forms() const;

  // `text` with every occurrence of every known secret, in any of the encodings above, replaced
  // by kScrubbed (a run of adjacent ones by one kScrubbed).
  [[nodiscard]] std::string Scrub(std::string_view text) const;
  // Scrubs first, then cuts to at most `max` bytes (at a UTF-8 boundary, "..." appended): the
  // cut can never leave the beginning of a secret behind. Only the start of a long text is read.
  [[nodiscard]] std::string ScrubAndCut(std::string_view text, size_t max) const;

 private:
  struct Form {
    std::string text;
    bool cuttable;  // a token: its first characters at the end of a quote count as the token
  };
  void AddForm(std::string_view text, bool cuttable);
  void AddUserInfo(std::string_view user_info);

  std::vector<Form> forms_;
  size_t longest_ = 0;
};

}  // namespace costwatch
