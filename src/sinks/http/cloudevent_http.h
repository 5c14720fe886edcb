// CloudEvents HTTP protocol binding v1.0.2, the encoding half: turns stored events (structured
// JSON, docs/events.md) into the body and headers of one HTTP request, apart from transport, so
// every mode is tested byte for byte without a server.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/http.h"
#include "sinks/sink.h"
#include "util/result.h"

namespace costwatch::sinks {

// The part of an HTTP request that carries the event(s); the sink adds method, URL and its
// configured headers.
struct HttpMessage {
  std::vector<http::Header> headers;
  std::string body;
};

inline constexpr std::string_view kStructuredContentType =
    "application/cloudevents+json; charset=utf-8";
inline constexpr std::string_view kBatchContentType =
    "application/cloudevents-batch+json; charset=utf-8";

// HTTP binding §3.1.3.2: space, '"', '%' and every byte outside U+0021..U+007E become %XY
// (upper-case hex) of their UTF-8 bytes; everything else is left as it is.
std::string PercentEncodeHeaderValue(std::string_view value);

// Structured mode: the stored JSON as it is.
HttpMessage EncodeStructured(const EventRecord& event);

// Binary mode: every attribute as a ce-<name> header (percent-encoded), datacontenttype as
// Content-Type, data as the body. Fails when the stored JSON is not a CloudEvent object.
Result<HttpMessage> EncodeBinary(const EventRecord& event);

// Batch mode: a JSON array of the stored objects.
HttpMessage EncodeBatch(std::span<const EventRecord> events);

}  // namespace costwatch::sinks
