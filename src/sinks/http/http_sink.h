// Delivers events to an HTTP(S) endpoint in one of the three CloudEvents HTTP content modes.
// It sends and classifies; retries, backoff and dead letters belong to the delivery engine.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/http.h"
#include "sinks/sink.h"
#include "sinks/sink_options.h"
#include "util/result.h"
#include "util/secret_scrubber.h"

namespace costwatch::sinks {

// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date (IMF-fixdate), relative to
// `now`. A date in the past gives zero; anything unparsable gives nothing.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// What a send's result means for the events: 2xx delivered; 408, 429, 5xx, other statuses and
// transport errors retry; any other 4xx rejects. The message quotes the start of the response
// body, scrubbed of `secrets` before it is cut (receivers echo the request back).
DeliveryResult ClassifyResponse(const Result<http::Response>& response,
                                std::chrono::system_clock::time_point now,
                                const SecretScrubber& secrets = SecretScrubber());

// What of `options` must never appear in a message: the header values (and the bare tokens in
// them) and the URL's user information.
SecretScrubber SecretsOf(const HttpSinkOptions& options);

class HttpSink final : public Sink {
 public:
  // `client` is for tests; by default one HttplibClient per sink, so connections are reused.
  static Result<std::unique_ptr<HttpSink>> Create(std::string name, HttpSinkOptions options,
                                                  std::unique_ptr<http::Client> client = nullptr);

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] size_t max_batch() const override;
  // Batch mode sends the events in one request. The other modes send one request per event,
  // in order, and stop at the first that fails; the ones before it were delivered and will be
  // sent again on retry (receivers deduplicate by source + id, as CloudEvents intends).
  DeliveryResult deliver(std::span<const EventRecord> events) override;

 private:
  HttpSink(std::string name, HttpSinkOptions options, std::unique_ptr<http::Client> client);
  DeliveryResult Send(http::Request request);

  std::string name_;
  HttpSinkOptions options_;
  std::unique_ptr<http::Client> client_;
  SecretScrubber secrets_;  // SecretsOf(options_), kept out of messages
};

}  // namespace costwatch::sinks
