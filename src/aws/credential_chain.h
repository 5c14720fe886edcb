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
#include "aws/shared_config.h"

namespace costwatch::aws {

// Asks its providers in order; the first with credentials answers. A provider's Error ends the
// search (it was configured, so falling through would silently use other credentials). When no
// provider has anything the chain's Error is not_found_message.
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
};

struct CredentialsChainOptions {
  std::optional<std::string> profile_flag;  // --profile
  ProcessCredentialsOptions process;
};

// botocore's default chain, as far as it is implemented: environment variables (skipped when
// --profile is given), the profile's static keys in the credentials file, its credential_process,
// its static keys in the config file. Error when the profile was asked for (--profile,
// AWS_DEFAULT_PROFILE, AWS_PROFILE) but exists in neither file. Reads what it needs from env and
// config now; neither has to outlive the chain.
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
