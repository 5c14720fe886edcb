#include "aws/sts_client.h"

#include <algorithm>
#include <array>

#include "aws/redact.h"
#include "aws/timestamp.h"
#include "aws/xml_text.h"
#include "http/url.h"

namespace costwatch::aws {
namespace {

constexpr std::string_view kStsVersion = "2011-06-15";

// The regions that used sts.amazonaws.com before regional endpoints became the default; with
// sts_regional_endpoints = legacy they still do.
constexpr std::array<std::string_view, 16> kLegacyGlobalRegions = {
    "ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2",
    "aws-global",     "ca-central-1", "eu-central-1",   "eu-north-1",
    "eu-west-1",      "eu-west-2",    "eu-west-3",      "sa-east-1",
    "us-east-1",      "us-east-2",    "us-west-1",      "us-west-2"};

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true";
}

// STS answers a bad web identity token's provider being unreachable with these; the SDKs retry
// them like throttling.
bool IsRetryableStsCode(std::string_view code) {
  return code == "IDPCommunicationError" || code == "IDPCommunicationErrorException";
}

QueryParams RoleParams(const AssumeRoleParams& params) {
  QueryParams query;
  query.add("RoleArn", params.role_arn).add("RoleSessionName", params.role_session_name);
  if (params.duration_seconds) {
    query.add("DurationSeconds", std::to_string(*params.duration_seconds));
  }
  if (params.external_id) query.add("ExternalId", *params.external_id);
  return query;
}

}  // namespace

std::optional<std::string> ConfiguredEndpointUrl(const Environment& env, const SharedConfig& config,
                                                 const Profile* profile, std::string_view env_id,
                                                 std::string_view config_key) {
  if (IsTrue(env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) return std::nullopt;
  if (profile != nullptr && !env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") &&
      IsTrue(profile->get("ignore_configured_endpoint_urls"))) {
    return std::nullopt;
  }
  if (auto url = env.get("AWS_ENDPOINT_URL_" + std::string(env_id))) return url;
  if (profile != nullptr) {
    if (auto services_name = profile->get("services")) {
      if (const Profile* services = config.services(*services_name)) {
        if (const StringMap* block = services->nested_section(config_key)) {
          if (auto it = block->find("endpoint_url"); it != block->end() && !it->second.empty()) {
            return it->second;
          }
        }
      }
    }
  }
  if (auto url = env.get("AWS_ENDPOINT_URL")) return url;
  if (profile != nullptr) {
    if (auto url = profile->get("endpoint_url"); url && !url->empty()) return url;
  }
  return std::nullopt;
}

std::optional<std::string> ResolveRegion(const Environment& env, const Profile* profile) {
  if (auto region = env.get("AWS_REGION")) return region;
  if (auto region = env.get("AWS_DEFAULT_REGION")) return region;
  if (profile != nullptr) {
    if (auto region = profile->get("region"); region && !region->empty()) return region;
  }
  return std::nullopt;
}

Result<ServiceEndpoint> ResolveStsEndpoint(const Environment& env, const SharedConfig& config,
                                           const Profile* profile) {
  const std::optional<std::string> region = ResolveRegion(env, profile);
  if (auto url = ConfiguredEndpointUrl(env, config, profile, "STS", "sts")) {
    if (auto parsed = http::ParseUrl(*url); !parsed) {
      return WithContext("STS endpoint URL", parsed.error());
    }
    return ServiceEndpoint{*url, region.value_or("us-east-1"), "sts"};
  }
  std::optional<std::string> mode = env.get("AWS_STS_REGIONAL_ENDPOINTS");
  if (!mode && profile != nullptr) mode = profile->get("sts_regional_endpoints");
  if (mode && *mode != "legacy" && *mode != "regional") {
    return Fail("sts_regional_endpoints \"" + SafeFirstLine(*mode, 40) +
                "\" is not valid: use regional or legacy");
  }
  const bool legacy = mode && *mode == "legacy";
  if (!region || *region == "aws-global" ||
      (legacy && std::find(kLegacyGlobalRegions.begin(), kLegacyGlobalRegions.end(), *region) !=
                     kLegacyGlobalRegions.end())) {
    return ServiceEndpoint{"https://sts.amazonaws.com/", "us-east-1", "sts"};
  }
  for (char c : *region) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return Fail("region \"" + SafeFirstLine(*region, 40) + "\" is not a valid region name");
    }
  }
  const std::string suffix = region->starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return ServiceEndpoint{"https://sts." + *region + "." + suffix + "/", *region, "sts"};
}

StsClient::StsClient(http::Client& http, ServiceEndpoint endpoint, NetworkContext network)
    : query_(http, std::move(endpoint), std::string(kStsVersion), std::move(network)) {
  query_.set_also_retryable(IsRetryableStsCode);
}

Result<Credentials> ParseStsCredentials(std::string_view xml, std::string_view result_element) {
  auto field = [&](std::string_view name) {
    return XmlText(xml, {result_element, "Credentials", name});
  };
  auto key = field("AccessKeyId");
  auto secret = field("SecretAccessKey");
  auto token = field("SessionToken");
  auto expiration = field("Expiration");
  if (!key || key->empty() || !secret || secret->empty() || !token || token->empty() ||
      !expiration) {
    return Fail("the STS reply has no complete Credentials element");
  }
  auto expires = ParseRfc3339(*expiration);
  if (!expires) return Fail("the STS reply's Expiration is not an RFC 3339 time");
  Credentials credentials;
  credentials.access_key_id = std::move(*key);
  credentials.secret_access_key = std::move(*secret);
  credentials.session_token = std::move(*token);
  credentials.expiration = *expires;
  return credentials;
}

Result<Credentials> StsClient::AssumeRole(const Credentials& source,
                                          const AssumeRoleParams& params) {
  auto body = query_.Call("AssumeRole", RoleParams(params), &source);
  if (!body) return body.error();
  auto credentials = ParseStsCredentials(*body, "AssumeRoleResult");
  if (!credentials) return WithContext("AssumeRole", credentials.error());
  return credentials;
}

Result<Credentials> StsClient::AssumeRoleWithWebIdentity(const AssumeRoleParams& params,
                                                         const std::string& web_identity_token) {
  QueryParams query = RoleParams(params);
  query.add("WebIdentityToken", web_identity_token);
  auto body = query_.Call("AssumeRoleWithWebIdentity", query, nullptr);
  if (!body) return body.error();
  auto credentials = ParseStsCredentials(*body, "AssumeRoleWithWebIdentityResult");
  if (!credentials) return WithContext("AssumeRoleWithWebIdentity", credentials.error());
  return credentials;
}

Result<CallerIdentity> StsClient::GetCallerIdentity(const Credentials& credentials) {
  auto body = query_.Call("GetCallerIdentity", QueryParams{}, &credentials);
  if (!body) return body.error();
  CallerIdentity identity;
  auto account = XmlText(*body, {"GetCallerIdentityResult", "Account"});
  auto arn = XmlText(*body, {"GetCallerIdentityResult", "Arn"});
  auto user_id = XmlText(*body, {"GetCallerIdentityResult", "UserId"});
  if (!account || !arn) return Fail("GetCallerIdentity: the reply has no Account and Arn");
  identity.account = std::move(*account);
  identity.arn = std::move(*arn);
  identity.user_id = user_id.value_or("");
  return identity;
}

}  // namespace costwatch::aws
