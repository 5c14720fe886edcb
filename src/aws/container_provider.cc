#include "aws/container_provider.h"

#include <simdjson.h>

#include <array>
#include <fstream>
#include <sstream>

#include "aws/timestamp.h"
#include "http/url.h"

namespace costwatch::aws {
namespace {

constexpr std::string_view kEcsHost = "http://169.254.170.2";
constexpr std::chrono::seconds kTimeout{2};
constexpr int kAttempts = 3;
constexpr std::chrono::seconds kPause{1};

bool IsAllowedHttpHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.starts_with("127.")) return true;  // the whole 127.0.0.0/8 loopback network
  constexpr std::array<std::string_view, 3> kLinkLocal = {"169.254.170.2", "169.254.170.23",
                                                          "fd00:ec2::23"};
  for (std::string_view allowed : kLinkLocal) {
    if (host == allowed) return true;
  }
  return false;
}

Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace

Result<Credentials> ParseMetadataCredentials(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS || !root.is_object()) {
    return Fail("the answer is not a JSON object");
  }
  std::string_view key;
  std::string_view secret;
  std::string_view token;
  std::string_view expiration;
  if (root["AccessKeyId"].get(key) != simdjson::SUCCESS || key.empty() ||
      root["SecretAccessKey"].get(secret) != simdjson::SUCCESS || secret.empty()) {
    return Fail("the answer has no AccessKeyId and SecretAccessKey");
  }
  Credentials credentials;
  credentials.access_key_id = std::string(key);
  credentials.secret_access_key = std::string(secret);
  if (root["Token"].get(token) == simdjson::SUCCESS) credentials.session_token = std::string(token);
  if (root["Expiration"].get(expiration) == simdjson::SUCCESS) {
    auto when = ParseRfc3339(expiration);
    if (!when) return Fail("the answer's Expiration is not an RFC 3339 time");
    credentials.expiration = *when;
  }
  return credentials;
}

Result<std::optional<ContainerSettings>> ContainerSettingsFromEnvironment(const Environment& env) {
  ContainerSettings settings;
  if (auto relative = env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    settings.url = std::string(kEcsHost) + (relative->starts_with('/') ? "" : "/") + *relative;
    settings.origin = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  } else if (auto full = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    auto url = http::ParseUrl(*full);
    if (!url) return WithContext("AWS_CONTAINER_CREDENTIALS_FULL_URI", url.error());
    if (url->scheme == "http" && !IsAllowedHttpHost(url->host)) {
      return Fail("AWS_CONTAINER_CREDENTIALS_FULL_URI uses http with host " + url->host +
                  ": only loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 "
                  "may be used without https");
    }
    settings.url = *full;
    settings.origin = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  } else {
    return std::optional<ContainerSettings>();
  }
  settings.token = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  settings.token_file = env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  return std::optional<ContainerSettings>(std::move(settings));
}

ContainerProvider::ContainerProvider(ContainerSettings settings, NetworkContext network)
    : settings_(std::move(settings)), network_(std::move(network)) {}

Result<std::optional<Credentials>> ContainerProvider::resolve() {
  const std::string what = "container credentials (" + settings_.origin + ")";
  std::optional<std::string> token = settings_.token;
  if (settings_.token_file) {  // re-read every time: EKS rotates the token file
    auto read = ReadToken(*settings_.token_file);
    if (!read) return WithContext(what, read.error());
    token = std::move(*read);
  }
  if (token && token->find_first_of("\r\n") != std::string::npos) {
    return Fail(what + ": the authorization token contains a line break");
  }
  if (!network_.http) return Fail(what + ": no HTTP client configured");
  if (!http_) http_ = network_.http(kTimeout);

  std::string last_failure;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    if (attempt > 1 && network_.sleep) network_.sleep(kPause);
    http::Request request;
    request.method = "GET";
    request.url = settings_.url;
    request.set_header("Accept", "application/json");
    if (token) request.set_header("Authorization", *token);
    auto response = http_->send(request);
    if (!response) {
      last_failure = "cannot reach the endpoint: " + response.error().message;
      continue;
    }
    if (response->status != 200) {
      last_failure = "the endpoint answered HTTP " + std::to_string(response->status);
      continue;
    }
    auto credentials = ParseMetadataCredentials(response->body);
    if (!credentials) {
      last_failure = credentials.error().message;
      continue;
    }
    credentials->provider = "container (" + settings_.origin + ")";
    return std::optional<Credentials>(std::move(*credentials));
  }
  return Fail(what + " failed after " + std::to_string(kAttempts) + " attempts: " + last_failure);
}

}  // namespace costwatch::aws
