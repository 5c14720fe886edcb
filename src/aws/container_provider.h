// Container credentials: the endpoint ECS (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) and EKS Pod
// Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) give a
// task or pod. Follows botocore's ContainerProvider.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/network.h"

namespace costwatch::aws {

struct ContainerSettings {
  std::string url;
  std::string origin;                     // the variable the URL came from, for messages
  std::optional<std::string> token;       // AWS_CONTAINER_AUTHORIZATION_TOKEN
  std::optional<std::string> token_file;  // AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, wins
};

// std::nullopt when neither URI variable is set. An Error for a FULL_URI that is not https and
// not on a loopback address or the ECS/EKS link-local hosts (169.254.170.2, 169.254.170.23,
// fd00:ec2::23): credentials must not travel in clear text across a network.
Result<std::optional<ContainerSettings>> ContainerSettingsFromEnvironment(const Environment& env);

// GET the URL with the Authorization token, 2 s timeout, 3 attempts a second apart (botocore's
// ContainerMetadataFetcher). Once configured, a failure is an Error that stops the chain.
class ContainerProvider final : public CredentialsProvider {
 public:
  ContainerProvider(ContainerSettings settings, NetworkContext network);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override { return "container (" + settings_.origin + ")"; }

 private:
  ContainerSettings settings_;
  NetworkContext network_;
  std::unique_ptr<http::Client> http_;
};

// {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} as the container endpoint and
// instance metadata answer. Errors never quote the document.
Result<Credentials> ParseMetadataCredentials(std::string_view json);

}  // namespace costwatch::aws
