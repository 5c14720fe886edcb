#include "aws/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <map>
#include <utility>
#include <vector>

#include "aws/crypto.h"

namespace costwatch::aws {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Which headers are signed: every header the request carries, except these. They are either our
// own output (authorization) or headers that the HTTP client, proxies or tracing layers may add,
// drop or rewrite after signing (botocore leaves out user-agent, expect and x-amzn-trace-id for the
// same reason; the rest are hop-by-hop). Signing one of them would make a correct request fail
// verification whenever something in between touches it.
constexpr std::array<std::string_view, 11> kNotSigned = {
    "authorization",       "user-agent", "expect",  "x-amzn-trace-id", "connection",
    "keep-alive",          "te",         "trailer", "upgrade",         "transfer-encoding",
    "proxy-authorization",
};

constexpr std::string_view kSecurityTokenHeader = "X-Amz-Security-Token";

// The URL pieces signing needs. This is deliberately small; a shared http/url.h may replace it.
struct ParsedUrl {
  std::string_view host;  // brackets kept for IPv6 literals
  std::string_view port;  // empty when absent or the scheme's default
  std::string_view path;  // empty or starting with '/'
  std::string_view query;
};

bool IsAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool IsHexDigit(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool IsControl(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<ParsedUrl> ParseUrl(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return Fail("cannot sign request: the URL is not absolute (scheme://host/path)");
  }
  std::string scheme(url.substr(0, scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), AsciiLower);
  std::string_view default_port;
  if (scheme == "https") {
    default_port = "443";
  } else if (scheme == "http") {
    default_port = "80";
  } else {
    return Fail("cannot sign request: the URL scheme must be http or https");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (std::any_of(rest.begin(), rest.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return Fail("cannot sign request: the URL contains a control character");
  }
  rest = rest.substr(0, rest.find('#'));  // a fragment is never sent

  ParsedUrl parsed;
  const std::size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  const std::size_t query_start = rest.find('?');
  parsed.path = rest.substr(0, query_start);
  if (query_start != std::string_view::npos) parsed.query = rest.substr(query_start + 1);

  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return Fail("cannot sign request: the URL has a malformed IPv6 host");
    }
    parsed.host = authority.substr(0, close + 1);
    std::string_view inner = authority.substr(1, close - 1);
    if (!std::all_of(inner.begin(), inner.end(), [](char c) {
          return IsHexDigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
        })) {
      return Fail("cannot sign request: the URL has a malformed IPv6 host");
    }
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Fail("cannot sign request: the URL has a malformed host");
      port = after.substr(1);
      if (port.empty()) return Fail("cannot sign request: the URL has an empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    parsed.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return Fail("cannot sign request: the URL has an empty port");
    }
    if (!std::all_of(parsed.host.begin(), parsed.host.end(), [](char c) {
          return IsAlnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
        })) {
      return Fail(
          "cannot sign request: the URL host may hold only letters, digits, '-', '.' and '_' "
          "(user names in URLs are not supported)");
    }
  }
  if (parsed.host.empty()) return Fail("cannot sign request: the URL has no host");
  if (!port.empty()) {
    int number = 0;
    for (char c : port.substr(0, 6)) number = number * 10 + (c - '0');
    if (!IsDigits(port) || port.size() > 5 || number == 0 || number > 65535) {
      return Fail("cannot sign request: the URL port must be a number from 1 to 65535");
    }
    if (port != default_port) parsed.port = port;
  }
  return parsed;
}

std::string HostHeaderValue(const ParsedUrl& url) {
  std::string host(url.host);
  if (!url.port.empty()) host.append(":").append(url.port);
  return host;
}

bool IsUnreserved(unsigned char c) {
  return IsAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// AWS's UriEncode: every byte but the RFC 3986 unreserved characters as %XX, uppercase hex.
void AppendUriEncoded(std::string& out, std::string_view in, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0x0f]);
    }
  }
}

// '+' stays '+': SigV4 reads URLs by RFC 3986, where '+' is not a space.
Result<std::string> PercentDecode(std::string_view in, std::string_view where) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size() || !IsHexDigit(static_cast<unsigned char>(in[i + 1])) ||
        !IsHexDigit(static_cast<unsigned char>(in[i + 2]))) {
      return Fail("cannot sign request: malformed percent-encoding in the URL " +
                  std::string(where));
    }
    out.push_back(static_cast<char>(HexValue(static_cast<unsigned char>(in[i + 1])) * 16 +
                                    HexValue(static_cast<unsigned char>(in[i + 2]))));
    i += 2;
  }
  return out;
}

// Drops empty and "." segments and resolves "..", as botocore does with posixpath.normpath; a
// trailing slash survives because services treat "/a/" and "/a" as different resources.
std::string NormalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    out.append(segments[i]);
  }
  if (!segments.empty() && path.ends_with('/')) out.push_back('/');
  return out;
}

Result<std::string> CanonicalUri(std::string_view path, const SigV4Options& options) {
  std::string normalized = options.normalize_path ? NormalizePath(path) : std::string(path);
  if (normalized.empty()) normalized = "/";
  std::string out;
  if (options.double_encode_path) {
    AppendUriEncoded(out, normalized, /*keep_slash=*/true);
    return out;
  }
  std::size_t start = 0;
  while (true) {
    std::size_t end = normalized.find('/', start);
    const bool last = end == std::string::npos;
    if (last) end = normalized.size();
    auto decoded = PercentDecode(std::string_view(normalized).substr(start, end - start), "path");
    if (!decoded) return decoded.error();
    AppendUriEncoded(out, *decoded, /*keep_slash=*/false);
    if (last) break;
    out.push_back('/');
    start = end + 1;
  }
  return out;
}

// Decodes and re-encodes every name and value so that differently encoded spellings of the same
// query sign alike, then sorts by encoded name and value as AWS specifies.
Result<std::string> CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) continue;
    const std::size_t eq = piece.find('=');
    auto name = PercentDecode(piece.substr(0, eq), "query");
    if (!name) return name.error();
    auto value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1), "query");
    if (!value) return value.error();
    std::pair<std::string, std::string> encoded;
    AppendUriEncoded(encoded.first, *name, /*keep_slash=*/false);
    AppendUriEncoded(encoded.second, *value, /*keep_slash=*/false);
    pairs.push_back(std::move(encoded));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

// RFC 9110 token characters.
bool IsTokenChar(unsigned char c) {
  return IsAlnum(c) ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// Trims and collapses runs of spaces and tabs into one space, as the suites and botocore do.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool IsSigned(std::string_view lower_name, const SigV4Options& options) {
  if (std::find(kNotSigned.begin(), kNotSigned.end(), lower_name) != kNotSigned.end()) {
    return false;
  }
  return options.sign_session_token || lower_name != "x-amz-security-token";
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), AsciiLower);
  return out;
}

std::string_view AsBytes(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

void RemoveHeader(std::vector<http::Header>& headers, std::string_view name) {
  std::erase_if(headers,
                [name](const http::Header& h) { return http::EqualsIgnoreCase(h.name, name); });
}

// Credential=<id>/<scope> must parse back unambiguously, and nothing may inject header lines.
Result<void> CheckCredentials(const Credentials& credentials) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return Fail("cannot sign request: the credentials" +
                (credentials.provider.empty() ? std::string() : " from " + credentials.provider) +
                " lack an access key id or a secret access key");
  }
  if (!std::all_of(credentials.access_key_id.begin(), credentials.access_key_id.end(),
                   [](char c) { return IsAlnum(static_cast<unsigned char>(c)) || c == '_'; })) {
    return Fail("cannot sign request: the access key id may hold only letters, digits and '_'");
  }
  if (std::any_of(credentials.session_token.begin(), credentials.session_token.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return Fail("cannot sign request: the session token contains a control character");
  }
  return {};
}

Result<void> CheckScope(const SigningScope& scope) {
  const auto valid = [](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return IsAlnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
  };
  if (!valid(scope.region)) {
    return Fail("cannot sign request: the region '" + scope.region +
                "' is empty or holds characters other than letters, digits, '-', '_' and '.'");
  }
  if (!valid(scope.service)) {
    return Fail("cannot sign request: the service signing name '" + scope.service +
                "' is empty or holds characters other than letters, digits, '-', '_' and '.'");
  }
  return {};
}

// Zero-padded decimal of a non-negative number below 10^width.
void AppendDigits(std::string& out, long long value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i, value /= 10) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
  }
  out.append(digits);
}

}  // namespace

SigV4Signer::SigV4Signer(SigningScope scope, SigV4Options options)
    : scope_(std::move(scope)), options_(options) {}

Result<std::string> SigV4Signer::canonical_request(const http::Request& request) const {
  if (request.method.empty() ||
      !std::all_of(request.method.begin(), request.method.end(),
                   [](char c) { return IsTokenChar(static_cast<unsigned char>(c)); })) {
    return Fail("cannot sign request: the HTTP method is empty or not a token");
  }
  auto url = ParseUrl(request.url);
  if (!url) return url.error();
  auto uri = CanonicalUri(url->path, options_);
  if (!uri) return uri.error();
  auto query = CanonicalQuery(url->query);
  if (!query) return query.error();

  // std::map sorts by lowercase name; each vector keeps the values in request order, which the
  // suite's get-header-value-order requires.
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& header : request.headers) {
    if (header.name.empty() || !std::all_of(header.name.begin(), header.name.end(), [](char c) {
          return IsTokenChar(static_cast<unsigned char>(c));
        })) {
      return Fail("cannot sign request: a header name is empty or not a token");
    }
    // Values are not quoted here: they may be a session token.
    if (std::any_of(header.value.begin(), header.value.end(),
                    [](char c) { return c != '\t' && IsControl(static_cast<unsigned char>(c)); })) {
      return Fail("cannot sign request: the value of header " + header.name +
                  " contains a control character");
    }
    std::string name = Lower(header.name);
    if (!IsSigned(name, options_)) continue;
    headers[std::move(name)].push_back(CanonicalHeaderValue(header.value));
  }
  if (!headers.contains("host")) headers["host"].push_back(HostHeaderValue(*url));

  std::string out;
  out.append(request.method).append("\n");
  out.append(*uri).append("\n");
  out.append(*query).append("\n");
  std::string signed_headers;
  for (const auto& [name, values] : headers) {
    out.append(name).append(":");
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.append(values[i]);
    }
    out.append("\n");
    if (!signed_headers.empty()) signed_headers.push_back(';');
    signed_headers.append(name);
  }
  out.append("\n");
  out.append(signed_headers).append("\n");
  out.append(Sha256Hex(request.body));
  return out;
}

std::string SigV4Signer::credential_scope(std::string_view date) const {
  std::string scope(date);
  scope.append("/").append(scope_.region).append("/").append(scope_.service);
  scope.append("/aws4_request");
  return scope;
}

std::string SigV4Signer::string_to_sign(std::string_view canonical_request,
                                        std::string_view amz_date) const {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n");
  out.append(credential_scope(amz_date.substr(0, 8))).append("\n");
  out.append(Sha256Hex(canonical_request));
  return out;
}

std::string SigV4Signer::FormatAmzDate(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  // Whole seconds first: subtracting days from the nanosecond time point itself would overflow
  // near the ends of its range.
  const auto since_epoch = floor<seconds>(t.time_since_epoch());
  const auto day = floor<days>(since_epoch);
  const year_month_day ymd{sys_days(day)};
  const hh_mm_ss hms{since_epoch - day};
  // A 64-bit nanosecond system_clock spans the years 1677 to 2262, so the year has four digits.
  std::string out;
  AppendDigits(out, static_cast<int>(ymd.year()), 4);
  AppendDigits(out, static_cast<unsigned>(ymd.month()), 2);
  AppendDigits(out, static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  AppendDigits(out, hms.hours().count(), 2);
  AppendDigits(out, hms.minutes().count(), 2);
  AppendDigits(out, hms.seconds().count(), 2);
  out.push_back('Z');
  return out;
}

Result<void> SigV4Signer::sign(http::Request& request, const Credentials& credentials,
                               std::chrono::system_clock::time_point now) const {
  if (auto checked = CheckScope(scope_); !checked) return checked.error();
  if (auto checked = CheckCredentials(credentials); !checked) return checked.error();
  const std::string amz_date = FormatAmzDate(now);
  auto url = ParseUrl(request.url);
  if (!url) return url.error();

  std::vector<http::Header> original = request.headers;  // restored on failure
  auto& headers = request.headers;
  for (std::string_view name : {"Authorization", "X-Amz-Date", "X-Amz-Security-Token"}) {
    RemoveHeader(headers, name);
  }
  if (!request.header("Host")) headers.push_back({"Host", HostHeaderValue(*url)});
  headers.push_back({"X-Amz-Date", amz_date});
  const bool has_token = !credentials.session_token.empty();
  if (has_token && options_.sign_session_token) {
    headers.push_back({std::string(kSecurityTokenHeader), credentials.session_token});
  }
  if (options_.add_content_sha256_header) {
    RemoveHeader(headers, "X-Amz-Content-Sha256");
    headers.push_back({"X-Amz-Content-Sha256", Sha256Hex(request.body)});
  }

  auto canonical = canonical_request(request);
  if (!canonical) {
    request.headers = std::move(original);
    return canonical.error();
  }
  // The signed headers are the second-to-last line of the canonical request.
  const std::size_t hash_line = canonical->rfind('\n');
  const std::size_t signed_line = canonical->rfind('\n', hash_line - 1) + 1;
  const std::string_view signed_headers =
      std::string_view(*canonical).substr(signed_line, hash_line - signed_line);

  const std::string date = amz_date.substr(0, 8);
  std::string secret = "AWS4" + credentials.secret_access_key;
  const Sha256Digest date_key = HmacSha256(secret, date);
  OPENSSL_cleanse(secret.data(), secret.size());
  const Sha256Digest region_key = HmacSha256(AsBytes(date_key), scope_.region);
  const Sha256Digest service_key = HmacSha256(AsBytes(region_key), scope_.service);
  const Sha256Digest signing_key = HmacSha256(AsBytes(service_key), "aws4_request");
  const std::string signature =
      Hex(HmacSha256(AsBytes(signing_key), string_to_sign(*canonical, amz_date)));

  std::string authorization(kAlgorithm);
  authorization.append(" Credential=").append(credentials.access_key_id).append("/");
  authorization.append(credential_scope(date));
  authorization.append(", SignedHeaders=").append(signed_headers);
  authorization.append(", Signature=").append(signature);
  headers.push_back({"Authorization", std::move(authorization)});
  if (has_token && !options_.sign_session_token) {
    headers.push_back({std::string(kSecurityTokenHeader), credentials.session_token});
  }
  return {};
}

}  // namespace costwatch::aws
