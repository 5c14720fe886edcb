// A client for AWS services that speak the query protocol (STS, CloudWatch, SNS): a
// form-encoded POST carrying Action and Version, signed with SigV4 under the service's signing
// name, answered with XML. Requests go through SendWithRetries, so the standard retry mode and
// the error lines are the same as every other protocol's.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/json_client.h"
#include "aws/network.h"
#include "aws/retrying_call.h"
#include "http/http.h"
#include "util/result.h"

namespace costwatch::aws {

// The form encoding of one value, as botocore's query serializer writes it (RFC 3986
// unreserved characters kept, everything else %XX; a space is %20, which AWS reads as "+").
std::string FormEncode(std::string_view value);

// An operation's parameters in the order they are sent. Lists are flattened the way the query
// protocol wants: Name.member.1, Name.member.2, ...
class QueryParams {
 public:
  QueryParams& add(std::string name, std::string value);
  // name.member.N = values[N-1]
  QueryParams& add_list(std::string_view name, const std::vector<std::string>& values);
  // name.member.N.key_name = pairs[N-1].first, name.member.N.value_name = pairs[N-1].second,
  // as Dimensions.member.1.Name / Dimensions.member.1.Value.
  QueryParams& add_pairs(std::string_view name, std::string_view key_name,
                         std::string_view value_name,
                         const std::vector<std::pair<std::string, std::string>>& pairs);

  // "&name=value&..." with every name and value form-encoded; empty when there are none.
  [[nodiscard]] std::string Encode() const;
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& items() const {
    return items_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Reads <ErrorResponse><Error><Code>/<Message> (SNS and CloudWatch) or <Response><Errors>
// <Error> (older services); the code falls back to "HTTP <status>".
ServiceError ParseQueryError(const http::Response& response);

class QueryClient {
 public:
  QueryClient(http::Client& http, ServiceEndpoint endpoint, std::string api_version,
              NetworkContext network);

  // Service-specific codes to retry beyond the standard ones (STS's IDPCommunicationError).
  void set_also_retryable(std::function<bool(std::string_view code)> also_retryable) {
    also_retryable_ = std::move(also_retryable);
  }

  // Sends Action=action&Version=...&params and returns the 200 reply's body. `credentials`
  // null: unsigned (STS's AssumeRoleWithWebIdentity).
  Result<std::string> Call(std::string_view action, const QueryParams& params,
                           const Credentials* credentials);
  // Resolves credentials from `provider` first; "no AWS credentials found" when it has none.
  Result<std::string> Call(std::string_view action, const QueryParams& params,
                           CredentialsProvider& provider);

  [[nodiscard]] const ServiceEndpoint& endpoint() const { return endpoint_; }
  [[nodiscard]] const CallStats& stats() const { return stats_; }
  // The AWS error code of the reply that ended the last Call ("NotFound"), empty when it
  // succeeded or never got an error reply. Lets callers treat "already gone" as success.
  [[nodiscard]] const std::string& last_error_code() const { return last_error_code_; }

 private:
  http::Client& http_;
  ServiceEndpoint endpoint_;
  std::string api_version_;
  NetworkContext network_;
  std::function<bool(std::string_view)> also_retryable_;
  CallStats stats_;
  std::string last_error_code_;
};

}  // namespace costwatch::aws
