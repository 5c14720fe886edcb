// The default credential chain and the cache in front of it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credential_providers.h"
#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/network.h"
#include "aws/shared_config.h"

namespace costwatch::aws {

// Asks its providers in order; the first with credentials answers. A provider's Error ends the
// search (it was configured, so falling through would silently use other credentials). When no
// provider has anything the chain's Error is not_found_message.
//
// Once a provider has answered, later calls (refreshes) ask that provider alone, as the SDKs
// refresh only the credentials they found; only if it then has nothing at all is the whole
// chain searched again. Not thread-safe: put a CachingCredentialsProvider in front of it.
class CredentialsChain final : public CredentialsProvider {
 public:
  explicit CredentialsChain(std::string not_found_message)
      : not_found_message_(std::move(not_found_message)) {}

  void add(std::unique_ptr<CredentialsProvider> provider) {
    providers_.push_back(std::move(provider));
  }
  [[nodiscard]] const std::vector<std::unique_ptr<CredentialsProvider>>& providers() const {
    return providers_;
  }

  // Never an ok std::nullopt: either credentials or an Error.
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override { return "default credential chain"; }

 private:
  std::string not_found_message_;
  std::vector<std::unique_ptr<CredentialsProvider>> providers_;
  std::optional<size_t> answered_;  // index of the provider that answered last
};

struct CredentialsChainOptions {
  // A constructor rather than an aggregate, so {flag, process} keeps compiling without
  // -Wmissing-field-initializers as members are added.
  CredentialsChainOptions() = default;
  CredentialsChainOptions(std::optional<std::string> flag,  // NOLINT: implicit, for {flag, ...}
                          ProcessCredentialsOptions process_options = {},
                          NetworkContext network_context = {})
      : profile_flag(std::move(flag)),
        process(process_options),
        network(std::move(network_context)) {}

  std::optional<std::string> profile_flag;  // --profile
  ProcessCredentialsOptions process;
  // HTTP clients, clock and retries for the providers that call a server. Without an HTTP
  // client factory, instance metadata is skipped and a configured role, web identity, SSO or
  // container source fails with an Error (the file-only tests need no network).
  NetworkContext network;
};

// botocore's default chain, in its order:
//   1. environment variables (skipped when --profile is given);
//   2. assume role: the profile's role_arn with source_profile or credential_source
//      (Environment, Ec2InstanceMetadata, EcsContainer), chained roles included;
//   3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (environment skipped with
//      --profile), or the profile's web_identity_token_file + role_arn;
//   4. SSO: the profile's sso_account_id / sso_role_name with sso_session or sso_start_url;
//   5. the profile's static keys in the credentials file; 6. its credential_process;
//   7. its static keys in the config file;
//   8. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI);
//   9. EC2 instance metadata (unless AWS_EC2_METADATA_DISABLED=true).
// Error when the profile was asked for (--profile, AWS_DEFAULT_PROFILE, AWS_PROFILE) but exists
// in neither file. Reads what it needs from env and config now; neither has to outlive the
// chain. A broken role, SSO or metadata configuration is reported when the chain reaches it.
Result<std::unique_ptr<CredentialsChain>> MakeDefaultCredentialsChain(
    const Environment& env, const SharedConfig& config,
    const CredentialsChainOptions& options = {});

// Keeps the credentials an inner provider gave until shortly before they expire, then asks it
// again. Credentials without an expiration are kept for good. Thread-safe: concurrent callers
// wait for one refresh instead of each running it.
class CachingCredentialsProvider final : public CredentialsProvider {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  static constexpr std::chrono::minutes kDefaultRefreshBefore{5};

  explicit CachingCredentialsProvider(
      std::unique_ptr<CredentialsProvider> inner,
      Clock clock = [] { return std::chrono::system_clock::now(); },
      std::chrono::seconds refresh_before = kDefaultRefreshBefore);

  // If a refresh fails while the cached credentials have not expired yet, those are returned
  // (the next call tries again); once they have expired the Error is returned.
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override { return inner_->name(); }

 private:
  std::unique_ptr<CredentialsProvider> inner_;
  Clock clock_;
  std::chrono::seconds refresh_before_;
  std::mutex mutex_;
  std::optional<Credentials> cached_;  // guarded by mutex_
};

}  // namespace costwatch::aws
