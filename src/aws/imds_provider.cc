#include "aws/imds_provider.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "aws/container_provider.h"
#include "aws/redact.h"
#include "http/url.h"

namespace costwatch::aws {
namespace {

constexpr std::string_view kTokenTtlSeconds = "21600";  // six hours, as the SDKs ask
constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";

std::optional<std::string> Setting(const Environment& env, const Profile* profile,
                                   std::string_view env_name, std::string_view key) {
  if (auto value = env.get(env_name)) return value;
  if (profile != nullptr) {
    if (auto value = profile->get(key); value && !value->empty()) return value;
  }
  return std::nullopt;
}

// The whole of text as a number, or std::nullopt (from_chars on a view: no string pointers kept).
template <class T>
std::optional<T> ParseNumber(std::string_view text) {
  T value{};
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, value);
  if (ec != std::errc() || end != last) return std::nullopt;
  return value;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

Result<std::optional<ImdsSettings>> ImdsSettingsFrom(const Environment& env,
                                                     const Profile* profile) {
  if (Lower(env.get("AWS_EC2_METADATA_DISABLED").value_or("false")) == "true") {
    return std::optional<ImdsSettings>();
  }
  ImdsSettings settings;
  const auto mode = Setting(env, profile, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                            "ec2_metadata_service_endpoint_mode");
  if (mode) {
    if (Lower(*mode) == "ipv6") {
      settings.endpoint = "http://[fd00:ec2::254]";
    } else if (Lower(*mode) != "ipv4") {
      return Fail("ec2_metadata_service_endpoint_mode \"" + SafeFirstLine(*mode, 40) +
                  "\" is not valid: use IPv4 or IPv6");
    }
  }
  if (auto endpoint = Setting(env, profile, "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                              "ec2_metadata_service_endpoint")) {
    if (auto url = http::ParseUrl(*endpoint); !url) {
      return WithContext("EC2 metadata service endpoint", url.error());
    }
    settings.endpoint = *endpoint;
  }
  while (settings.endpoint.ends_with('/')) settings.endpoint.pop_back();
  if (auto timeout =
          Setting(env, profile, "AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")) {
    const auto seconds = ParseNumber<double>(*timeout);
    if (!seconds || *seconds <= 0 || *seconds > 300) {
      return Fail("metadata_service_timeout \"" + SafeFirstLine(*timeout, 40) +
                  "\" is not a number of seconds");
    }
    settings.timeout = std::chrono::milliseconds(static_cast<long long>(*seconds * 1000));
  }
  if (auto attempts = Setting(env, profile, "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
                              "metadata_service_num_attempts")) {
    const auto value = ParseNumber<int>(*attempts);
    if (!value || *value < 1 || *value > 10) {
      return Fail("metadata_service_num_attempts \"" + SafeFirstLine(*attempts, 40) +
                  "\" is not a number from 1 to 10");
    }
    settings.attempts = *value;
  }
  settings.v1_disabled =
      Lower(Setting(env, profile, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")
                .value_or("false")) == "true";
  return std::optional<ImdsSettings>(std::move(settings));
}

ImdsProvider::ImdsProvider(ImdsSettings settings, NetworkContext network)
    : settings_(std::move(settings)), network_(std::move(network)) {}

ImdsProvider::TokenOutcome ImdsProvider::FetchToken(std::string& token) {
  for (int attempt = 1; attempt <= settings_.attempts; ++attempt) {
    http::Request request;
    request.method = "PUT";
    request.url = settings_.endpoint + "/latest/api/token";
    request.set_header("X-aws-ec2-metadata-token-ttl-seconds", std::string(kTokenTtlSeconds));
    auto response = http_->send(request);
    if (!response) continue;  // botocore retries connection errors and then falls back
    if (response->status == 200 && !response->body.empty()) {
      token = std::move(response->body);
      return TokenOutcome::kToken;
    }
    if (response->status == 403 || response->status == 404 || response->status == 405) {
      return TokenOutcome::kFallBack;
    }
    if (response->status == 400) return TokenOutcome::kGiveUp;
  }
  return TokenOutcome::kFallBack;
}

std::optional<std::string> ImdsProvider::Get(const std::string& path, const std::string& token,
                                             bool json) {
  for (int attempt = 1; attempt <= settings_.attempts; ++attempt) {
    http::Request request;
    request.method = "GET";
    request.url = settings_.endpoint + path;
    if (!token.empty()) request.set_header("X-aws-ec2-metadata-token", token);
    auto response = http_->send(request);
    if (!response || response->status != 200 || response->body.empty()) continue;
    if (json) {
      simdjson::dom::parser parser;
      simdjson::dom::element root;
      if (parser.parse(response->body).get(root) != simdjson::SUCCESS) continue;
    }
    return std::move(response->body);
  }
  return std::nullopt;
}

Result<std::optional<Credentials>> ImdsProvider::resolve() {
  if (!network_.http) return std::optional<Credentials>();
  if (!http_) http_ = network_.http(settings_.timeout);
  std::string token;
  switch (FetchToken(token)) {
    case TokenOutcome::kToken:
      break;
    case TokenOutcome::kFallBack:
      if (settings_.v1_disabled) {
        return Fail(
            "EC2 instance metadata: no IMDSv2 session token, and IMDSv1 is disabled "
            "(ec2_metadata_v1_disabled)");
      }
      break;
    case TokenOutcome::kGiveUp:
      return std::optional<Credentials>();
  }
  auto roles = Get(std::string(kCredentialsPath), token, false);
  if (!roles) return std::optional<Credentials>();
  // The listing has one role per line; an instance profile has exactly one.
  std::string role = roles->substr(0, roles->find_first_of("\r\n"));
  if (role.empty() || role.find('/') != std::string::npos) return std::optional<Credentials>();
  auto document = Get(std::string(kCredentialsPath) + role, token, true);
  if (!document) return std::optional<Credentials>();
  auto credentials = ParseMetadataCredentials(*document);
  // An answer with Code and Message (the role does not trust EC2, say) has no keys: botocore
  // treats it as no credentials rather than an error.
  if (!credentials || credentials->session_token.empty() || !credentials->expiration) {
    return std::optional<Credentials>();
  }
  credentials->provider =
      "EC2 instance metadata (role " + role + (token.empty() ? ", IMDSv1)" : ", IMDSv2)");
  return std::optional<Credentials>(std::move(*credentials));
}

}  // namespace costwatch::aws
