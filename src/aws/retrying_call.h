// One AWS call with the standard retry mode around it, for every protocol: the request is
// built (and signed) afresh for each attempt, transport failures and retryable errors are
// tried again after a backoff, and the outcome is the 200 body or one line for the user.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "aws/request_counters.h"
#include "aws/retry.h"
#include "http/http.h"
#include "util/result.h"

namespace costwatch::aws {

// An error reply, as each protocol's parser reads it.
struct ServiceError {
  std::string code;     // "LimitExceededException", without the shape's namespace
  std::string message;  // AWS's own text
};

// What a client did, for status output and tests; paid requests are the ones sent.
struct CallStats {
  int requests_sent = 0;
  int retries = 0;
};

struct RetryingCall {
  std::string what;          // "GetCostAndUsage failed": the start of every error line
  std::string endpoint_url;  // named when it cannot be reached
  std::function<Result<http::Request>()> build;  // a fresh, signed request per attempt
  std::function<ServiceError(const http::Response&)> parse_error;
  // Codes this service retries beyond the standard ones (e.g. STS's IDPCommunicationError).
  std::function<bool(std::string_view code)> also_retryable;
  RequestCounters* counters = nullptr;  // when set, every attempt and retry is counted here
};

// When the call ends on an error reply that is not retried, `refused` (if given) receives the
// service's code and message, so a caller can tell an answer it expects (e.g. Cost
// Explorer's DataUnavailableException) from a failure without reading the error text.
Result<std::string> SendWithRetries(http::Client& http, const RetryingCall& call,
                                    const Backoff& backoff,
                                    const std::function<void(std::chrono::milliseconds)>& sleep,
                                    CallStats* stats = nullptr, ServiceError* refused = nullptr);

}  // namespace costwatch::aws
