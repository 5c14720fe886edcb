// Credentials from STS roles: AssumeRole with credentials from a source (a source_profile or a
// credential_source), and AssumeRoleWithWebIdentity with an OIDC token file (EKS IRSA). They
// follow botocore's AssumeRoleProvider and AssumeRoleWithWebIdentityProvider.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/network.h"
#include "aws/sts_client.h"

namespace costwatch::aws {

struct RoleSettings {
  std::string profile_name;  // the profile that names the role, for messages
  std::string role_arn;
  std::optional<std::string> role_session_name;  // default: costwatch-session-<unix time>
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
};

// AssumeRole with the credentials `source` gives. `source` is asked on every refresh (put a
// CachingCredentialsProvider in front of it when it is itself a role, so a chain of roles
// refreshes each link only when that link expires).
class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(RoleSettings role, std::unique_ptr<CredentialsProvider> source,
                     std::string source_description, ServiceEndpoint sts, NetworkContext network);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override;

 private:
  RoleSettings role_;
  std::unique_ptr<CredentialsProvider> source_;
  std::string source_description_;  // "source_profile base", "credential_source Environment"
  ServiceEndpoint sts_;
  NetworkContext network_;
  std::unique_ptr<http::Client> http_;  // made on first use
};

struct WebIdentitySettings {
  std::string origin;  // "AWS_WEB_IDENTITY_TOKEN_FILE" or "profile NAME", for messages
  std::string token_file;
  std::optional<std::string> role_arn;  // missing: a configuration error on resolve
  std::optional<std::string> role_session_name;
};

// AssumeRoleWithWebIdentity with the token read from token_file on every refresh: Kubernetes
// rotates the projected token, so a cached copy would go stale.
class WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(WebIdentitySettings settings, ServiceEndpoint sts, NetworkContext network);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override {
    return "web identity (" + settings_.origin + ")";
  }

 private:
  WebIdentitySettings settings_;
  ServiceEndpoint sts_;
  NetworkContext network_;
  std::unique_ptr<http::Client> http_;
};

// A provider whose configuration was found broken when the chain was built. The error is only
// reported if the chain gets this far, as botocore reports it when that provider loads.
class FailingProvider final : public CredentialsProvider {
 public:
  FailingProvider(std::string name, Error error)
      : name_(std::move(name)), error_(std::move(error)) {}
  Result<std::optional<Credentials>> resolve() override { return error_; }
  [[nodiscard]] std::string name() const override { return name_; }

 private:
  std::string name_;
  Error error_;
};

// Timeouts for STS calls: generous, as the SDKs' defaults, but bounded for a daemon.
inline constexpr std::chrono::seconds kStsTimeout{10};

}  // namespace costwatch::aws
