#include "aws/role_providers.h"

#include <fstream>
#include <sstream>

namespace costwatch::aws {
namespace {

std::string SessionName(const std::optional<std::string>& configured,
                        std::chrono::system_clock::time_point now) {
  if (configured) return *configured;
  // botocore names it botocore-session-<unix time>; a recognisable name helps CloudTrail users.
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  return "costwatch-session-" + std::to_string(seconds.count());
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read web identity token file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail("cannot read web identity token file " + path);
  std::string token = text.str();
  // Tokens written by hand or by tools often end with a newline; STS would reject it.
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return Fail("web identity token file " + path + " is empty");
  return token;
}

}  // namespace

AssumeRoleProvider::AssumeRoleProvider(RoleSettings role,
                                       std::unique_ptr<CredentialsProvider> source,
                                       std::string source_description, ServiceEndpoint sts,
                                       NetworkContext network)
    : role_(std::move(role)),
      source_(std::move(source)),
      source_description_(std::move(source_description)),
      sts_(std::move(sts)),
      network_(std::move(network)) {}

std::string AssumeRoleProvider::name() const {
  return "assume role " + role_.role_arn + " (profile " + role_.profile_name + ")";
}

Result<std::optional<Credentials>> AssumeRoleProvider::resolve() {
  const std::string what = "profile '" + role_.profile_name + "': assuming role " + role_.role_arn;
  auto source = source_->resolve();
  if (!source) return WithContext(what + " with " + source_description_, source.error());
  if (!*source) {
    return Fail(what + ": no credentials found in " + source_description_);
  }
  if (!network_.http) return Fail(what + ": no HTTP client configured");
  if (!http_) http_ = network_.http(kStsTimeout);
  StsClient sts(*http_, sts_, network_);
  AssumeRoleParams params{role_.role_arn, SessionName(role_.role_session_name, network_.clock()),
                          role_.external_id, role_.duration_seconds};
  auto credentials = sts.AssumeRole(**source, params);
  if (!credentials) return WithContext(what, credentials.error());
  credentials->provider = name() + " from " + (*source)->provider;
  return std::optional<Credentials>(std::move(*credentials));
}

WebIdentityProvider::WebIdentityProvider(WebIdentitySettings settings, ServiceEndpoint sts,
                                         NetworkContext network)
    : settings_(std::move(settings)), sts_(std::move(sts)), network_(std::move(network)) {}

Result<std::optional<Credentials>> WebIdentityProvider::resolve() {
  const std::string what = "web identity (" + settings_.origin + ")";
  if (!settings_.role_arn) {
    return Fail(
        what + ": a web identity token file is configured but no role ARN: set " +
        (settings_.origin.starts_with("profile") ? "role_arn in the profile" : "AWS_ROLE_ARN"));
  }
  auto token = ReadTokenFile(settings_.token_file);
  if (!token) return WithContext(what, token.error());
  if (!network_.http) return Fail(what + ": no HTTP client configured");
  if (!http_) http_ = network_.http(kStsTimeout);
  StsClient sts(*http_, sts_, network_);
  AssumeRoleParams params{*settings_.role_arn,
                          SessionName(settings_.role_session_name, network_.clock()), std::nullopt,
                          std::nullopt};
  auto credentials = sts.AssumeRoleWithWebIdentity(params, *token);
  if (!credentials) return WithContext(what + ": role " + *settings_.role_arn, credentials.error());
  credentials->provider = "web identity " + *settings_.role_arn + " (" + settings_.origin + ")";
  return std::optional<Credentials>(std::move(*credentials));
}

}  // namespace costwatch::aws
