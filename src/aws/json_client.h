// A client for AWS services that speak the JSON 1.1 protocol (Cost Explorer among them):
// POST / with X-Amz-Target, signed with SigV4, retried in the standard mode, AWS errors turned
// into one line a user can act on.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/retry.h"
#include "aws/retrying_call.h"
#include "http/http.h"
#include "util/result.h"

namespace costwatch::aws {

struct ServiceEndpoint {
  std::string url;              // https://ce.us-east-1.amazonaws.com
  std::string signing_region;   // us-east-1
  std::string signing_service;  // ce
};

// Reads the error code and message from a JSON protocol error reply (the x-amzn-ErrorType
// header or the "__type" member, whose "namespace#" prefix and ":suffix" are dropped).
ServiceError ParseJsonError(const http::Response& response);

class JsonServiceClient {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  using Sleep = std::function<void(std::chrono::milliseconds)>;

  JsonServiceClient(http::Client& http, CredentialsProvider& credentials, ServiceEndpoint endpoint,
                    std::string target_prefix, Backoff backoff, Clock clock, Sleep sleep);

  // Sends `body` as operation `operation` and returns the body of the 200 reply. When the
  // service refuses the request (an error reply that is not retried), `refused` receives its
  // error code and message as well.
  Result<std::string> call(std::string_view operation, const std::string& body,
                           ServiceError* refused = nullptr);

  [[nodiscard]] const CallStats& stats() const { return stats_; }
  // Counts every later attempt there too (for /metrics); `counters` must outlive the client.
  void set_counters(RequestCounters* counters) { counters_ = counters; }
  [[nodiscard]] const ServiceEndpoint& endpoint() const { return endpoint_; }

 private:
  http::Client& http_;
  CredentialsProvider& credentials_;
  ServiceEndpoint endpoint_;
  std::string target_prefix_;
  Backoff backoff_;
  Clock clock_;
  Sleep sleep_;
  CallStats stats_;
  RequestCounters* counters_ = nullptr;
};

}  // namespace costwatch::aws
