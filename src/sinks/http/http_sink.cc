#include "sinks/http/http_sink.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "http/httplib_client.h"
#include "http/url.h"
#include "sinks/http/cloudevent_http.h"

namespace costwatch::sinks {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

bool ParseNumber(std::string_view text, int& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// IMF-fixdate, the one HTTP-date form senders must use: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<system_clock::time_point> ParseImfFixdate(std::string_view text) {
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (month == kMonths.end() || !ParseNumber(text.substr(5, 2), day) ||
      !ParseNumber(text.substr(12, 4), year) || !ParseNumber(text.substr(17, 2), hour) ||
      !ParseNumber(text.substr(20, 2), minute) || !ParseNumber(text.substr(23, 2), second) ||
      hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const std::chrono::year_month_day date{
      std::chrono::year(year),
      std::chrono::month(static_cast<unsigned>(month - kMonths.begin() + 1)),
      std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second);
}

// The start of a response body, for logs and dead letters: scrubbed, then cut short, then
// printable ASCII only.
std::string BodyExcerpt(std::string_view body, const SecretScrubber& secrets) {
  constexpr size_t kMax = 200;
  std::string out = secrets.ScrubAndCut(body, kMax);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) c = ' ';
  }
  return out;
}

// RFC 9110 token characters: what a header name may be made of.
bool IsToken(std::string_view name) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

}  // namespace

std::optional<milliseconds> ParseRetryAfter(std::string_view value, system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  int seconds = 0;
  if (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front())) != 0) {
    if (!ParseNumber(value, seconds) || seconds < 0) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  const auto when = ParseImfFixdate(value);
  if (!when) return std::nullopt;
  if (*when <= now) return milliseconds(0);
  return std::chrono::ceil<milliseconds>(*when - now);
}

DeliveryResult ClassifyResponse(const Result<http::Response>& response,
                                system_clock::time_point now, const SecretScrubber& secrets) {
  DeliveryResult result;
  if (!response.ok()) {
    result.outcome = Outcome::kRetry;
    result.message = secrets.Scrub("no response: " + response.error().message);
    return result;
  }
  const long status = response->status;
  if (status >= 200 && status < 300) {
    result.message = "HTTP " + std::to_string(status);
    return result;
  }
  const bool rejected = status >= 400 && status < 500 && status != 408 && status != 429;
  // 3xx is not followed (a redirect could carry the Authorization header elsewhere) and is a
  // configuration problem an operator fixes, so the events wait rather than die.
  result.outcome = rejected ? Outcome::kRejected : Outcome::kRetry;
  result.message = "HTTP " + std::to_string(status);
  if (const auto excerpt = BodyExcerpt(response->body, secrets); !excerpt.empty())
    result.message += ": " + excerpt;
  if (!rejected) {
    if (const auto retry_after = response->header("Retry-After"))
      result.retry_after = ParseRetryAfter(*retry_after, now);
  }
  return result;
}

Result<std::unique_ptr<HttpSink>> HttpSink::Create(std::string name, HttpSinkOptions options,
                                                   std::unique_ptr<http::Client> client) {
  const std::string where = "sink " + name;
  if (!options.url.starts_with("http://") && !options.url.starts_with("https://"))
    return Fail(where + ": url must start with http:// or https://");
  if (http::HasUserInfo(options.url))
    return Fail(where + ": url: " + std::string(http::kUserInfoRefused));
  if (options.mode == HttpMode::kBatch && options.batch_size == 0)
    return Fail(where + ": batch_size must be at least 1");
  if (options.timeout.count() <= 0) return Fail(where + ": timeout must be positive");
  if (!options.client_key.empty() && options.client_cert.empty())
    return Fail(where + ": client_key needs client_cert");
  for (const auto& header : options.headers) {
    // Names are safe to repeat; values may be secrets and are never quoted.
    if (!IsToken(header.name)) return Fail(where + ": invalid header name \"" + header.name + "\"");
    if (header.value.find_first_of("\r\n") != std::string::npos ||
        header.value.find('\0') != std::string::npos)
      return Fail(where + ": header " + header.name + " has a line break in its value");
  }
  if (client == nullptr) {
    http::ClientOptions client_options;
    client_options.request_timeout = options.timeout;
    client_options.connect_timeout = std::min(client_options.connect_timeout, options.timeout);
    client_options.ca_bundle = options.ca_file;
    client_options.client_cert = options.client_cert;
    client_options.client_key = options.client_key;
    client_options.verify_tls = options.verify_tls;
    client_options.user_agent = "costwatch";
    client = std::make_unique<http::HttplibClient>(std::move(client_options));
  }
  return std::unique_ptr<HttpSink>(
      new HttpSink(std::move(name), std::move(options), std::move(client)));
}

HttpSink::HttpSink(std::string name, HttpSinkOptions options, std::unique_ptr<http::Client> client)
    : name_(std::move(name)),
      options_(std::move(options)),
      client_(std::move(client)),
      secrets_(SecretsOf(options_)) {}

SecretScrubber SecretsOf(const HttpSinkOptions& options) {
  SecretScrubber secrets;
  secrets.AddUrlCredentials(options.url);
  for (const auto& header : options.headers) secrets.Add(header.value);
  return secrets;
}

size_t HttpSink::max_batch() const {
  return options_.mode == HttpMode::kBatch ? options_.batch_size : 1;
}

DeliveryResult HttpSink::Send(http::Request request) {
  request.method = "POST";
  request.url = options_.url;
  // The event's own headers first; configured ones may add to them (Authorization) but not
  // replace what the binding requires.
  for (const auto& header : options_.headers) {
    if (!request.header(header.name)) request.headers.push_back(header);
  }
  return ClassifyResponse(client_->send(request), system_clock::now(), secrets_);
}

DeliveryResult HttpSink::deliver(std::span<const EventRecord> events) {
  if (events.empty()) return {};
  if (options_.mode == HttpMode::kBatch) {
    HttpMessage message = EncodeBatch(events);
    http::Request request;
    request.headers = std::move(message.headers);
    request.body = std::move(message.body);
    return Send(std::move(request));
  }
  DeliveryResult last;
  for (const auto& event : events) {
    http::Request request;
    if (options_.mode == HttpMode::kBinary) {
      auto message = EncodeBinary(event);
      // An event that cannot be encoded never will be: dead-letter it.
      if (!message.ok()) return {Outcome::kRejected, message.error().message, std::nullopt};
      request.headers = std::move(message->headers);
      request.body = std::move(message->body);
    } else {
      HttpMessage message = EncodeStructured(event);
      request.headers = std::move(message.headers);
      request.body = std::move(message.body);
    }
    last = Send(std::move(request));
    if (last.outcome != Outcome::kDelivered) return last;
  }
  return last;
}

}  // namespace costwatch::sinks
