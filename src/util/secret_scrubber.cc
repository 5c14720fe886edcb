#include "util/secret_scrubber.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "util/text.h"

namespace costwatch {
namespace {

bool IsHex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (std::tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}

// Characters a token is made of: where a quote of a token stops on anything else, the token was
// cut there.
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '+' ||
         c == '=' || c == '~';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A path segment or query value worth hiding on its own: long, and not a plain word like
// "services" or "triggers".
bool LooksLikeToken(std::string_view text) {
  const bool digit = std::any_of(
      text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return text.size() >= 16 || (text.size() >= 8 && digit);
}

// "events", "webhook", "invoke": the end of many a receiver's URL, and no secret.
bool IsPlainWord(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool IsCredentialName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 8> kWords = {"token",    "key",  "sig",  "secret",
                                                      "password", "auth", "code", "credential"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

void AppendUtf8(std::string& out, unsigned code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// One layer of decoding: the decoded text, and for each of its bytes the range of the text below
// it came from, so that a secret found here is blanked there.
struct Layer {
  std::string text;
  std::vector<size_t> begin;
  std::vector<size_t> end;

  void Emit(std::string_view bytes, size_t from, size_t to) {
    for (const char c : bytes) {
      text += c;
      begin.push_back(from);
      end.push_back(to);
    }
  }
};

// The number of hex digits at `at` (at most `max`), and whether the text ends within them.
size_t HexRun(std::string_view in, size_t at, size_t max) {
  size_t n = 0;
  while (n < max && at + n < in.size() && IsHex(in[at + n])) ++n;
  return n;
}

// An escape starting at `i`: how many bytes it takes and what it decodes to; 0 bytes when `i`
// starts none. `truncated` is set when the text ends inside one (a quote cut mid-escape).
struct Escape {
  size_t length = 0;
  std::string decoded;
  bool truncated = false;
};

Escape BackslashEscape(std::string_view in, size_t i) {
  if (i + 1 >= in.size()) return {0, "", true};
  const char c = in[i + 1];
  switch (c) {
    case '/':
    case '\\':
    case '"':
    case '\'':
      return {2, std::string(1, c), false};
    case 'n':
      return {2, "\n", false};
    case 't':
      return {2, "\t", false};
    case 'r':
      return {2, "\r", false};
    case 'b':
      return {2, "\b", false};
    case 'f':
      return {2, "\f", false};
    case 'x': {  // \xHH, as Python's repr writes bytes
      const size_t hex = HexRun(in, i + 2, 2);
      if (hex == 2)
        return {4,
                std::string(1, static_cast<char>(HexValue(in[i + 2]) * 16 + HexValue(in[i + 3]))),
                false};
      return {0, "", i + 2 + hex == in.size()};
    }
    case 'u': {
      const size_t hex = HexRun(in, i + 2, 4);
      if (hex < 4) return {0, "", i + 2 + hex == in.size()};
      unsigned code_point = 0;
      for (size_t k = 0; k < 4; ++k) code_point = code_point * 16 + HexValue(in[i + 2 + k]);
      size_t length = 6;
      if (code_point >= 0xD800 && code_point < 0xDC00 && i + 12 <= in.size() && in[i + 6] == '\\' &&
          in[i + 7] == 'u' && HexRun(in, i + 8, 4) == 4) {
        unsigned low = 0;
        for (size_t k = 0; k < 4; ++k) low = low * 16 + HexValue(in[i + 8 + k]);
        if (low >= 0xDC00 && low < 0xE000) {
          code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
          length = 12;
        }
      }
      std::string decoded;
      AppendUtf8(decoded, code_point);
      return {length, decoded, false};
    }
    default:
      return {};
  }
}

Escape PercentEscape(std::string_view in, size_t i) {
  const size_t hex = HexRun(in, i + 1, 2);
  if (hex == 2)
    return {3, std::string(1, static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]))),
            false};
  return {0, "", i + 1 + hex == in.size()};
}

Escape HtmlEntity(std::string_view in, size_t i) {
  constexpr size_t kLongest = 10;  // "&#x10FFFF;"
  const std::string_view rest = in.substr(i, kLongest);
  const size_t semicolon = rest.find(';');
  if (semicolon == std::string_view::npos) {
    // Cut inside an entity: "&am", "&#x2".
    const bool entity_like = std::all_of(rest.begin() + 1, rest.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '#';
    });
    return {0, "", entity_like && i + rest.size() == in.size()};
  }
  const std::string_view name = rest.substr(1, semicolon - 1);
  constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kNamed = {
      {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}}};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) return {semicolon + 1, std::string(text), false};
  }
  if (name.size() < 2 || name[0] != '#') return {};
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 6) return {};
  unsigned code_point = 0;
  for (const char c : digits) {
    if (hex ? !IsHex(c) : std::isdigit(static_cast<unsigned char>(c)) == 0) return {};
    code_point = code_point * (hex ? 16 : 10) + static_cast<unsigned>(HexValue(c));
  }
  if (code_point > 0x10FFFF) return {};
  std::string decoded;
  AppendUtf8(decoded, code_point);
  return {semicolon + 1, decoded, false};
}

// Decodes every escape of the kinds receivers quote with, in one pass. An escape cut off by the
// end of the text is dropped, so that what precedes it ends the decoded text.
Layer Decode(std::string_view in) {
  Layer out;
  out.text.reserve(in.size());
  out.begin.reserve(in.size());
  out.end.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    Escape escape;
    if (in[i] == '\\') escape = BackslashEscape(in, i);
    if (in[i] == '%') escape = PercentEscape(in, i);
    if (in[i] == '&') escape = HtmlEntity(in, i);
    if (escape.truncated) break;
    if (escape.length == 0) {
      out.Emit(in.substr(i, 1), i, i + 1);
      ++i;
      continue;
    }
    out.Emit(escape.decoded, i, i + escape.length);
    i += escape.length;
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

// The bytes of standard base64 text, when they are printable text themselves (user:password).
std::optional<std::string> Base64DecodeText(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4 != 0) padded += '=';
  const bool alphabet = std::all_of(padded.begin(), padded.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
  });
  if (!alphabet || padded.empty()) return std::nullopt;
  std::string out(padded.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()),
                                static_cast<int>(padded.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n));
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (size_t pad = padded.size() - padded.find_last_not_of('=') - 1; pad > 0 && !out.empty();
       --pad) {
    out.pop_back();
  }
  const bool printable = std::all_of(out.begin(), out.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
  });
  if (!printable) return std::nullopt;
  return out;
}

// The parts of "scheme://user:password@host:port/path?query#fragment" a secret may hide in.
struct UrlParts {
  std::string_view user_info;
  std::string_view path;
  std::string_view query;
};

std::optional<UrlParts> SplitUrl(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const size_t authority = scheme_end + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  UrlParts parts;
  const size_t at = url.substr(authority, authority_end - authority).rfind('@');
  if (at != std::string_view::npos) parts.user_info = url.substr(authority, at);
  const std::string_view rest = url.substr(authority_end);
  const std::string_view before_fragment = rest.substr(0, rest.find('#'));
  const size_t question = before_fragment.find('?');
  parts.path = before_fragment.substr(0, question);
  if (question != std::string_view::npos) parts.query = before_fragment.substr(question + 1);
  return parts;
}

}  // namespace

void SecretScrubber::AddForm(std::string_view text, bool cuttable) {
  if (text.size() < kMinSecret) return;
  const auto add = [&](std::string_view form) {
    const auto same = [&](const Form& known) { return known.text == form; };
    const auto found = std::find_if(forms_.begin(), forms_.end(), same);
    if (found != forms_.end()) {
      found->cuttable = found->cuttable || cuttable;
      return;
    }
    forms_.push_back(Form{std::string(form), cuttable});
    longest_ = std::max(longest_, form.size());
  };
  add(text);
  // Configured percent-encoded ("sp=%2Ftriggers"): receivers may show it decoded.
  const Layer decoded = Decode(text);
  if (decoded.text != text && decoded.text.size() >= kMinSecret) add(decoded.text);
}

void SecretScrubber::AddUserInfo(std::string_view user_info) {
  AddForm(user_info, true);
  const size_t colon = user_info.find(':');
  if (colon != std::string_view::npos) AddForm(user_info.substr(colon + 1), true);
}

void SecretScrubber::Add(std::string_view secret) {
  secret = Trim(secret);
  if (secret.size() < kMinSecret) return;
  if (secret.find("://") != std::string_view::npos) {
    AddSecretUrl(secret);
    return;
  }
  AddForm(secret, true);
  // "Bearer TOKEN", "Basic BASE64", "Token TOKEN": receivers quote the credential alone too.
  const size_t space = secret.find(' ');
  if (space == std::string_view::npos) return;
  const std::string_view scheme = secret.substr(0, space);
  const std::string_view credential = Trim(secret.substr(space + 1));
  const bool scheme_like = std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (!scheme_like || credential.find(' ') != std::string_view::npos) return;
  AddForm(credential, true);
  if (!EqualsIgnoreCase(scheme, "Basic")) return;
  if (const auto decoded = Base64DecodeText(credential)) AddUserInfo(*decoded);
}

void SecretScrubber::AddLiteral(std::string_view secret) {
  AddForm(Trim(secret), true);
}

void SecretScrubber::AddSecretUrl(std::string_view url) {
  url = Trim(url);
  AddForm(url, false);
  const auto parts = SplitUrl(url);
  if (!parts) return;
  if (!parts->user_info.empty()) AddUserInfo(parts->user_info);
  if (parts->path.size() > 1) {
    // The request line quotes the path and query; a cut quote of it is still the secret.
    AddForm(parts->path, true);
    if (!parts->query.empty()) {
      AddForm(url.substr(static_cast<size_t>(parts->path.data() - url.data()),
                         parts->path.size() + 1 + parts->query.size()),
              true);
    }
    const auto segments = Split(parts->path.substr(1), '/');
    for (size_t i = 0; i < segments.size(); ++i) {
      // The last segment is the token of most webhook URLs, whatever it looks like.
      const bool last = i + 1 == segments.size() && !IsPlainWord(segments[i]);
      if (last || LooksLikeToken(segments[i])) AddForm(segments[i], true);
    }
  }
  if (!parts->query.empty()) {
    AddForm(parts->query, true);
    for (const auto parameter : Split(parts->query, '&')) {
      const size_t equals = parameter.find('=');
      if (equals == std::string_view::npos) continue;
      const std::string_view value = parameter.substr(equals + 1);
      if (LooksLikeToken(value) || LooksLikeToken(Decode(value).text) ||
          IsCredentialName(parameter.substr(0, equals))) {
        AddForm(value, true);
      }
    }
  }
}

void SecretScrubber::AddUrlCredentials(std::string_view url) {
  const auto parts = SplitUrl(Trim(url));
  if (!parts) return;
  if (!parts->user_info.empty()) AddUserInfo(parts->user_info);
  for (const auto parameter : Split(parts->query, '&')) {
    const size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    if (IsCredentialName(parameter.substr(0, equals))) AddForm(parameter.substr(equals + 1), true);
  }
}

void SecretScrubber::AddPassword(std::string_view user, std::string_view password) {
  if (password.size() < kMinSecret) return;
  AddForm(password, true);
  AddForm(Base64Encode(password), true);  // AUTH LOGIN
  std::string plain;
  plain += '\0';
  plain += user;
  plain += '\0';
  plain += password;
  AddForm(Base64Encode(plain), true);  // AUTH PLAIN
}

void SecretScrubber::Merge(const SecretScrubber& other) {
  for (const auto& form : other.forms_) AddForm(form.text, form.cuttable);
}

std::vector<std::string> SecretScrubber::forms() const {
  std::vector<std::string> out;
  out.reserve(forms_.size());
  for (const auto& form : forms_) out.push_back(form.text);
  return out;
}

std::string SecretScrubber::Scrub(std::string_view text) const {
  if (forms_.empty() || text.empty()) return std::string(text);
  std::vector<bool> blank(text.size(), false);
  // Layer 0 is the text itself; each further layer decodes the one before.
  std::vector<Layer> layers;
  layers.push_back(Decode(text));
  if (layers[0].text != text) {
    layers.push_back(Decode(layers[0].text));
    if (layers[1].text == layers[0].text) layers.pop_back();
  } else {
    layers.clear();
  }
  // Marks [from, to) of `level` (0: the text itself) in the text.
  const auto mark = [&](size_t level, size_t from, size_t to) {
    for (size_t l = level; l > 0; --l) {
      const Layer& layer = layers[l - 1];
      const size_t raw_from = layer.begin[from];
      to = layer.end[to - 1];
      from = raw_from;
    }
    std::fill(blank.begin() + static_cast<std::ptrdiff_t>(from),
              blank.begin() + static_cast<std::ptrdiff_t>(to), true);
  };
  for (size_t level = 0; level <= layers.size(); ++level) {
    const std::string_view haystack = level == 0 ? text : std::string_view(layers[level - 1].text);
    for (const auto& form : forms_) {
      const std::string_view needle = form.text;
      for (size_t at = haystack.find(needle); at != std::string_view::npos;
           at = haystack.find(needle, at + 1)) {
        mark(level, at, at + needle.size());
      }
      if (!form.cuttable || needle.size() <= kMinCut) continue;
      // The start of the secret where the quote of it stops: at the end of the text, or before
      // a character no token holds while the secret goes on with one.
      const std::string_view start = needle.substr(0, kMinCut);
      for (size_t at = haystack.find(start); at != std::string_view::npos;
           at = haystack.find(start, at + 1)) {
        size_t k = kMinCut;
        while (k < needle.size() && at + k < haystack.size() && haystack[at + k] == needle[k]) ++k;
        if (k == needle.size()) continue;
        const bool ends = at + k == haystack.size();
        if (ends || (!IsWordChar(haystack[at + k]) && IsWordChar(needle[k])))
          mark(level, at, at + k);
      }
    }
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (!blank[i]) {
      out += text[i];
    } else if (i == 0 || !blank[i - 1]) {
      out += kScrubbed;
    }
  }
  return out;
}

std::string SecretScrubber::ScrubAndCut(std::string_view text, size_t max) const {
  // Far enough past the cut that a secret starting before it is read whole.
  const size_t window = max + longest_ + 16;
  std::string out = Scrub(text.substr(0, std::min(text.size(), window)));
  if (text.size() <= max) return out;
  if (out.size() > max) {
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  return out + "...";
}

}  // namespace costwatch
