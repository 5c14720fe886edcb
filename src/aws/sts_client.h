// A client for the few AWS STS operations the credential chain and `costwatch whoami` need:
// AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity. STS speaks the query protocol:
// a form-encoded POST answered with XML. Requests are retried in the standard mode (retry.h).
#pragma once

#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/json_client.h"
#include "aws/network.h"
#include "aws/query_client.h"
#include "aws/shared_config.h"
#include "http/http.h"
#include "util/result.h"

namespace costwatch::aws {

// The endpoint URL configured for a service, in botocore's order: AWS_ENDPOINT_URL_<ID>, the
// profile's services section (`services = name`, then `[services name]` / `sts =` /
// `endpoint_url =`), AWS_ENDPOINT_URL, the profile's endpoint_url. Nothing when
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's ignore_configured_endpoint_urls) is
// true. env_id is the upper-case id ("STS", "SSO"), config_key the lower-case one.
std::optional<std::string> ConfiguredEndpointUrl(const Environment& env, const SharedConfig& config,
                                                 const Profile* profile, std::string_view env_id,
                                                 std::string_view config_key);

// The region a profile's clients use: AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
std::optional<std::string> ResolveRegion(const Environment& env, const Profile* profile);

// Where STS requests go. A configured endpoint URL wins (signed for the region, or us-east-1);
// otherwise the regional endpoint sts.REGION.amazonaws.com (the SDKs' default now), or the
// global sts.amazonaws.com when no region is known or sts_regional_endpoints /
// AWS_STS_REGIONAL_ENDPOINTS is "legacy" and the region is one that used the global endpoint.
Result<ServiceEndpoint> ResolveStsEndpoint(const Environment& env, const SharedConfig& config,
                                           const Profile* profile);

struct AssumeRoleParams {
  std::string role_arn;
  std::string role_session_name;
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
};

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

class StsClient {
 public:
  StsClient(http::Client& http, ServiceEndpoint endpoint, NetworkContext network);

  // Signed with `source`. The result's provider is left empty for the caller to name.
  Result<Credentials> AssumeRole(const Credentials& source, const AssumeRoleParams& params);
  // Unsigned, as the API requires; the token is the OIDC token's text, never shown in errors.
  Result<Credentials> AssumeRoleWithWebIdentity(const AssumeRoleParams& params,
                                                const std::string& web_identity_token);
  Result<CallerIdentity> GetCallerIdentity(const Credentials& credentials);

  [[nodiscard]] const ServiceEndpoint& endpoint() const { return query_.endpoint(); }

 private:
  QueryClient query_;
};

// Reads <Credentials> of an AssumeRole* reply. Errors never quote the reply.
Result<Credentials> ParseStsCredentials(std::string_view xml, std::string_view result_element);

}  // namespace costwatch::aws
