#include "aws/query_client.h"

#include "aws/redact.h"
#include "aws/sigv4.h"
#include "aws/xml_text.h"

namespace costwatch::aws {

std::string FormEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '_' || u == '.' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

QueryParams& QueryParams::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
  return *this;
}

QueryParams& QueryParams::add_list(std::string_view name, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    add(std::string(name) + ".member." + std::to_string(i + 1), values[i]);
  }
  return *this;
}

QueryParams& QueryParams::add_pairs(std::string_view name, std::string_view key_name,
                                    std::string_view value_name,
                                    const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string prefix = std::string(name) + ".member." + std::to_string(i + 1) + ".";
    add(prefix + std::string(key_name), pairs[i].first);
    add(prefix + std::string(value_name), pairs[i].second);
  }
  return *this;
}

std::string QueryParams::Encode() const {
  std::string out;
  for (const auto& [name, value] : items_) {
    out += '&';
    out += FormEncode(name);
    out += '=';
    out += FormEncode(value);
  }
  return out;
}

ServiceError ParseQueryError(const http::Response& response) {
  ServiceError error;
  auto code = XmlText(response.body, {"Error", "Code"});
  auto message = XmlText(response.body, {"Error", "Message"});
  if (code) error.code = SafeFirstLine(*code, 80);
  if (message) error.message = SafeFirstLine(*message, 300);
  if (error.code.empty()) error.code = "HTTP " + std::to_string(response.status);
  if (error.message.empty() && response.status >= 500) error.message = "server error";
  return error;
}

QueryClient::QueryClient(http::Client& http, ServiceEndpoint endpoint, std::string api_version,
                         NetworkContext network)
    : http_(http),
      endpoint_(std::move(endpoint)),
      api_version_(std::move(api_version)),
      network_(std::move(network)) {}

Result<std::string> QueryClient::Call(std::string_view action, const QueryParams& params,
                                      const Credentials* credentials) {
  const std::string body =
      "Action=" + FormEncode(action) + "&Version=" + FormEncode(api_version_) + params.Encode();
  const SigV4Signer signer({endpoint_.signing_region, endpoint_.signing_service});
  RetryingCall call;
  call.what = std::string(action) + " failed";
  call.endpoint_url = endpoint_.url;
  last_error_code_.clear();
  call.parse_error = [this](const http::Response& response) {
    ServiceError error = ParseQueryError(response);
    last_error_code_ = error.code;
    return error;
  };
  call.also_retryable = also_retryable_;
  call.build = [&]() -> Result<http::Request> {
    http::Request request;
    request.method = "POST";
    request.url = endpoint_.url;
    request.body = body;
    request.set_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    if (credentials != nullptr) {
      if (auto signed_ok = signer.sign(request, *credentials, network_.clock()); !signed_ok) {
        return signed_ok.error();
      }
    }
    return request;
  };
  auto reply = SendWithRetries(http_, call, Backoff(network_.retry, network_.random01),
                               network_.sleep, &stats_);
  if (reply) last_error_code_.clear();  // a retried error did not end the call
  return reply;
}

Result<std::string> QueryClient::Call(std::string_view action, const QueryParams& params,
                                      CredentialsProvider& provider) {
  last_error_code_.clear();
  auto credentials = provider.resolve();
  if (!credentials) return credentials.error();
  if (!*credentials) return Fail("no AWS credentials found");
  return Call(action, params, &**credentials);
}

}  // namespace costwatch::aws
