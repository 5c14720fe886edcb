#include "aws/credential_providers.h"
#include "aws/timestamp.h"

namespace costwatch::aws {

EnvironmentCredentialsProvider::EnvironmentCredentialsProvider(const Environment& env)
    : access_key_id_(env.get("AWS_ACCESS_KEY_ID")),
      secret_access_key_(env.get("AWS_SECRET_ACCESS_KEY")),
      // botocore prefers the legacy AWS_SECURITY_TOKEN when both are set.
      session_token_(env.get("AWS_SECURITY_TOKEN")),
      expiration_(env.get("AWS_CREDENTIAL_EXPIRATION")) {
  if (!session_token_) session_token_ = env.get("AWS_SESSION_TOKEN");
}

Result<std::optional<Credentials>> EnvironmentCredentialsProvider::resolve() {
  // Like botocore, a lone AWS_SECRET_ACCESS_KEY is not an error: the chain goes on to profiles.
  if (!access_key_id_) return std::optional<Credentials>();
  if (!secret_access_key_) {
    return Fail(
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or unset "
        "AWS_ACCESS_KEY_ID to use a profile");
  }
  Credentials credentials;
  credentials.access_key_id = *access_key_id_;
  credentials.secret_access_key = *secret_access_key_;
  credentials.session_token = session_token_.value_or("");
  if (expiration_) {
    credentials.expiration = ParseRfc3339(*expiration_);
    if (!credentials.expiration) {
      return Fail("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time such as 2024-05-01T12:00:00Z");
    }
  }
  credentials.provider = name();
  return std::optional<Credentials>(std::move(credentials));
}

}  // namespace costwatch::aws
