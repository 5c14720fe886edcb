#include "aws/sso_provider.h"

#include <openssl/sha.h>
#include <pwd.h>
#include <simdjson.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "aws/crypto.h"
#include "aws/json_client.h"
#include "aws/query_client.h"
#include "aws/redact.h"
#include "aws/retry.h"
#include "aws/sts_client.h"
#include "aws/timestamp.h"
#include "http/url.h"

namespace costwatch::aws {
namespace {

constexpr std::chrono::seconds kTimeout{10};

std::optional<std::string> Home(const Environment& env) {
  if (auto home = env.get("HOME")) return home;
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return std::string(found->pw_dir);
  }
  return std::nullopt;
}

std::string LoginHint(std::string_view profile) {
  return "run aws sso login --profile " + std::string(profile);
}

// "expiresAt" as the AWS CLI writes it: RFC 3339, or older caches' "...UTC" suffix.
std::optional<std::chrono::system_clock::time_point> ParseExpiresAt(std::string text) {
  if (text.ends_with("UTC")) text = text.substr(0, text.size() - 3) + "Z";
  return ParseRfc3339(text);
}

}  // namespace

std::string Sha1Hex(std::string_view text) {
  std::array<std::uint8_t, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return Hex(digest);
}

Result<std::optional<SsoSettings>> SsoSettingsFrom(const Environment& env,
                                                   const SharedConfig& config,
                                                   std::string_view profile_name) {
  const Profile* profile = config.profile(profile_name);
  if (profile == nullptr || (!profile->has("sso_account_id") && !profile->has("sso_role_name"))) {
    return std::optional<SsoSettings>();
  }
  const std::string what = "SSO profile '" + std::string(profile_name) + "'";
  SsoSettings settings;
  settings.profile_name = std::string(profile_name);
  std::string start_url;
  std::string cache_key;
  std::optional<std::string> region;
  if (auto session_name = profile->get("sso_session")) {
    const Profile* session = config.sso_session(*session_name);
    if (session == nullptr) {
      return Fail(what + ": sso_session '" + *session_name + "' has no [sso-session " +
                  *session_name + "] section in " + config.paths().config_display);
    }
    start_url = session->get("sso_start_url").value_or("");
    region = session->get("sso_region");
    // botocore refuses a profile whose own values contradict its session's.
    for (const char* key : {"sso_start_url", "sso_region"}) {
      auto own = profile->get(key);
      auto shared = session->get(key);
      if (own && shared && *own != *shared) {
        return Fail(what + ": " + key + " differs from the one in [sso-session " + *session_name +
                    "]");
      }
    }
    cache_key = *session_name;
  } else {
    start_url = profile->get("sso_start_url").value_or("");
    region = profile->get("sso_region");
    cache_key = start_url;
  }
  std::string missing;
  const auto require = [&](const char* key, bool present) {
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(key);
  };
  settings.account_id = profile->get("sso_account_id").value_or("");
  settings.role_name = profile->get("sso_role_name").value_or("");
  require("sso_start_url", !start_url.empty());
  require("sso_region", region && !region->empty());
  require("sso_account_id", !settings.account_id.empty());
  require("sso_role_name", !settings.role_name.empty());
  if (!missing.empty()) return Fail(what + " is missing " + missing);
  settings.region = *region;

  const auto home = Home(env);
  if (!home) return Fail(what + ": cannot find the home directory for ~/.aws/sso/cache");
  settings.cache_file = *home + "/.aws/sso/cache/" + Sha1Hex(cache_key) + ".json";

  if (auto url = ConfiguredEndpointUrl(env, config, profile, "SSO", "sso")) {
    if (auto parsed = http::ParseUrl(*url); !parsed) {
      return WithContext("SSO endpoint URL", parsed.error());
    }
    settings.portal_url = *url;
  } else {
    settings.portal_url = "https://portal.sso." + settings.region + ".amazonaws.com";
  }
  while (settings.portal_url.ends_with('/')) settings.portal_url.pop_back();
  return std::optional<SsoSettings>(std::move(settings));
}

SsoProvider::SsoProvider(SsoSettings settings, NetworkContext network)
    : settings_(std::move(settings)), network_(std::move(network)) {}

Result<std::string> SsoProvider::ReadAccessToken() const {
  const std::string hint = LoginHint(settings_.profile_name);
  std::ifstream in(settings_.cache_file, std::ios::binary);
  if (!in) return Fail("no SSO login found (" + settings_.cache_file + "): " + hint);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string document = text.str();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view token;
  std::string_view expires_at;
  if (parser.parse(document).get(root) != simdjson::SUCCESS ||
      root["accessToken"].get(token) != simdjson::SUCCESS ||
      root["expiresAt"].get(expires_at) != simdjson::SUCCESS) {
    return Fail("the SSO token cache " + settings_.cache_file + " is not readable: " + hint);
  }
  const auto expires = ParseExpiresAt(std::string(expires_at));
  if (!expires) {
    return Fail("the SSO token cache " + settings_.cache_file + " has no valid expiresAt: " + hint);
  }
  if (network_.clock() >= *expires) return Fail("the SSO session has expired: " + hint);
  return std::string(token);
}

Result<std::optional<Credentials>> SsoProvider::resolve() {
  const std::string what = "SSO profile '" + settings_.profile_name + "'";
  auto token = ReadAccessToken();
  if (!token) return WithContext(what, token.error());
  if (!network_.http) return Fail(what + ": no HTTP client configured");
  if (!http_) http_ = network_.http(kTimeout);

  const Backoff backoff(network_.retry, network_.random01);
  const int max_attempts = std::max(1, network_.retry.max_attempts);
  std::string last_failure;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    if (attempt > 1 && network_.sleep) network_.sleep(backoff.delay(attempt - 1));
    http::Request request;
    request.method = "GET";
    request.url = settings_.portal_url +
                  "/federation/credentials?account_id=" + FormEncode(settings_.account_id) +
                  "&role_name=" + FormEncode(settings_.role_name);
    request.set_header("x-amz-sso_bearer_token", *token);
    auto response = http_->send(request);
    if (!response) {
      last_failure = "cannot reach " + settings_.portal_url + ": " + response.error().message;
      continue;
    }
    if (response->status == 200) {
      simdjson::dom::parser parser;
      simdjson::dom::element role;
      std::string_view key;
      std::string_view secret;
      std::string_view session;
      int64_t expiration_ms = 0;
      if (parser.parse(response->body)["roleCredentials"].get(role) != simdjson::SUCCESS ||
          role["accessKeyId"].get(key) != simdjson::SUCCESS ||
          role["secretAccessKey"].get(secret) != simdjson::SUCCESS ||
          role["sessionToken"].get(session) != simdjson::SUCCESS ||
          role["expiration"].get(expiration_ms) != simdjson::SUCCESS || key.empty() ||
          secret.empty()) {
        return Fail(what + ": GetRoleCredentials answered without complete roleCredentials");
      }
      Credentials credentials;
      credentials.access_key_id = std::string(key);
      credentials.secret_access_key = std::string(secret);
      credentials.session_token = std::string(session);
      credentials.expiration =
          std::chrono::system_clock::time_point(std::chrono::milliseconds(expiration_ms));
      credentials.provider = "SSO role " + settings_.role_name + " in account " +
                             settings_.account_id + " (profile " + settings_.profile_name + ")";
      return std::optional<Credentials>(std::move(credentials));
    }
    const ServiceError error = ParseJsonError(*response);
    if (response->status == 401 || error.code == "UnauthorizedException") {
      return Fail(what + ": the SSO access token was not accepted (expired or signed out): " +
                  LoginHint(settings_.profile_name));
    }
    last_failure = error.code + (error.message.empty() ? "" : ": " + SafeFirstLine(error.message));
    if (ClassifyAwsError(error.code, response->status) == RetryReason::kNone) {
      std::string message = what;
      message += ": GetRoleCredentials for role " + settings_.role_name + " in account ";
      message += settings_.account_id + " failed: ";
      message += last_failure;
      return Fail(std::move(message));
    }
  }
  return Fail(what + ": GetRoleCredentials failed after " + std::to_string(max_attempts) +
              " attempts: " + last_failure);
}

}  // namespace costwatch::aws
