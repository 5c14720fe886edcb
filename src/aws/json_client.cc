#include "aws/json_client.h"

#include <simdjson.h>

#include <thread>

#include "aws/sigv4.h"

namespace costwatch::aws {
namespace {

std::string CleanErrorCode(std::string_view code) {
  if (auto hash = code.rfind('#'); hash != std::string_view::npos) code.remove_prefix(hash + 1);
  if (auto colon = code.find(':'); colon != std::string_view::npos) code = code.substr(0, colon);
  return std::string(code);
}

// Error text goes on one line of stderr; a reply must not be able to break that.
std::string OneLine(std::string_view text, size_t limit = 300) {
  std::string out;
  for (char c : text.substr(0, limit)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  if (text.size() > limit) out += "...";
  return out;
}

}  // namespace

ServiceError ParseJsonError(const http::Response& response) {
  ServiceError error;
  if (auto type = response.header("x-amzn-ErrorType")) error.code = CleanErrorCode(*type);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(response.body).get(root) == simdjson::SUCCESS && root.is_object()) {
    std::string_view text;
    if (error.code.empty() && (root["__type"].get(text) == simdjson::SUCCESS ||
                               root["code"].get(text) == simdjson::SUCCESS)) {
      error.code = CleanErrorCode(text);
    }
    if (root["message"].get(text) == simdjson::SUCCESS ||
        root["Message"].get(text) == simdjson::SUCCESS) {
      error.message = OneLine(text);
    }
  }
  if (error.code.empty()) error.code = "HTTP " + std::to_string(response.status);
  if (error.message.empty() && response.status >= 500) error.message = "server error";
  return error;
}

JsonServiceClient::JsonServiceClient(http::Client& http, CredentialsProvider& credentials,
                                     ServiceEndpoint endpoint, std::string target_prefix,
                                     Backoff backoff, Clock clock, Sleep sleep)
    : http_(http),
      credentials_(credentials),
      endpoint_(std::move(endpoint)),
      target_prefix_(std::move(target_prefix)),
      backoff_(std::move(backoff)),
      clock_(std::move(clock)),
      sleep_(std::move(sleep)) {}

Result<std::string> JsonServiceClient::call(std::string_view operation, const std::string& body,
                                            ServiceError* refused) {
  const SigV4Signer signer({endpoint_.signing_region, endpoint_.signing_service});
  RetryingCall call;
  call.what = std::string(operation) + " failed";
  call.endpoint_url = endpoint_.url;
  call.parse_error = ParseJsonError;
  call.counters = counters_;
  call.build = [&]() -> Result<http::Request> {
    // Resolved per attempt: a cached provider refreshes temporary credentials that expire
    // while we back off.
    auto credentials = credentials_.resolve();
    if (!credentials) return credentials.error();
    if (!*credentials) return Fail("no AWS credentials found");
    http::Request request;
    request.method = "POST";
    request.url = endpoint_.url;
    request.body = body;
    request.set_header("Content-Type", "application/x-amz-json-1.1");
    request.set_header("X-Amz-Target", target_prefix_ + "." + std::string(operation));
    if (auto signed_ok = signer.sign(request, **credentials, clock_()); !signed_ok) {
      return signed_ok.error();
    }
    return request;
  };
  return SendWithRetries(http_, call, backoff_, sleep_, &stats_, refused);
}

}  // namespace costwatch::aws
