// EC2 instance metadata (IMDS) credentials, the last provider of the chain. IMDSv2 first: a
// session token from PUT /latest/api/token, then the role name and its credentials. Fallback to
// IMDSv1 follows botocore's InstanceMetadataFetcher.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/network.h"
#include "aws/shared_config.h"

namespace costwatch::aws {

struct ImdsSettings {
  std::string endpoint = "http://169.254.169.254";
  std::chrono::milliseconds timeout{1000};
  int attempts = 2;  // one retry of each request
  bool v1_disabled = false;
};

// std::nullopt when AWS_EC2_METADATA_DISABLED is "true". Reads
// AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint,
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode (IPv4, IPv6),
// AWS_METADATA_SERVICE_TIMEOUT / metadata_service_timeout (seconds),
// AWS_METADATA_SERVICE_NUM_ATTEMPTS / metadata_service_num_attempts and
// AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled; environment before profile.
Result<std::optional<ImdsSettings>> ImdsSettingsFrom(const Environment& env,
                                                     const Profile* profile);

// Rules, as botocore's:
// - token PUT answered 200: IMDSv2 with that token;
// - token PUT answered 403, 404 or 405, or no answer (a timeout is what a container behind an
//   instance with hop limit 1 sees): IMDSv1 without a token, unless IMDSv1 is disabled;
// - token PUT answered 400, or anything else: no credentials;
// - a GET without a 200 and a body is retried; no role, no answer or a document without all of
//   AccessKeyId, SecretAccessKey, Token and Expiration: no credentials (not an Error), since
//   this is how the chain ends on any machine that is not an EC2 instance.
class ImdsProvider final : public CredentialsProvider {
 public:
  ImdsProvider(ImdsSettings settings, NetworkContext network);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override { return "EC2 instance metadata"; }

 private:
  enum class TokenOutcome { kToken, kFallBack, kGiveUp };
  TokenOutcome FetchToken(std::string& token);
  std::optional<std::string> Get(const std::string& path, const std::string& token, bool json);

  ImdsSettings settings_;
  NetworkContext network_;
  std::unique_ptr<http::Client> http_;
};

}  // namespace costwatch::aws
