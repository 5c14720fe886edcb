// IAM Identity Center (SSO) credentials: the access token `aws sso login` left in
// ~/.aws/sso/cache, exchanged for role credentials with the portal's GetRoleCredentials. Follows
// botocore's SSOProvider for both sso_session profiles and legacy sso_start_url ones. costwatch
// never logs in or refreshes the token itself: it runs unattended, so an expired token is an
// Error telling the user to run `aws sso login`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/network.h"
#include "aws/shared_config.h"

namespace costwatch::aws {

struct SsoSettings {
  std::string profile_name;
  std::string account_id;
  std::string role_name;
  std::string region;      // sso_region: where the portal is
  std::string cache_file;  // ~/.aws/sso/cache/<sha1>.json
  std::string portal_url;  // https://portal.sso.REGION.amazonaws.com, or configured
};

// std::nullopt when the profile has neither sso_account_id nor sso_role_name (botocore's test
// for an SSO profile). An Error for an SSO profile with missing or contradicting settings.
Result<std::optional<SsoSettings>> SsoSettingsFrom(const Environment& env,
                                                   const SharedConfig& config,
                                                   std::string_view profile_name);

class SsoProvider final : public CredentialsProvider {
 public:
  SsoProvider(SsoSettings settings, NetworkContext network);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override {
    return "SSO (profile " + settings_.profile_name + ")";
  }

 private:
  Result<std::string> ReadAccessToken() const;

  SsoSettings settings_;
  NetworkContext network_;
  std::unique_ptr<http::Client> http_;
};

// Lowercase hex SHA-1 of text: the cache file name botocore and the AWS CLI use.
std::string Sha1Hex(std::string_view text);

}  // namespace costwatch::aws
