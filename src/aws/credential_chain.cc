#include "aws/credential_chain.h"

namespace costwatch::aws {

Result<std::optional<Credentials>> CredentialsChain::resolve() {
  for (const auto& provider : providers_) {
    auto credentials = provider->resolve();
    if (!credentials || *credentials) return credentials;
  }
  return Fail(not_found_message_);
}

Result<std::unique_ptr<CredentialsChain>> MakeDefaultCredentialsChain(
    const Environment& env, const SharedConfig& config, const CredentialsChainOptions& options) {
  const ActiveProfile active = SelectProfile(env, options.profile_flag);
  if (auto exists = CheckProfileExists(config, active); !exists) return exists.error();

  // botocore drops the environment provider only for an explicit --profile: AWS_PROFILE alone
  // still lets AWS_ACCESS_KEY_ID win, matching what its clients do with explicit keys.
  const bool use_environment = active.source != ActiveProfile::Source::kFlag;
  const SharedConfigPaths& paths = config.paths();
  const std::string files = paths.credentials_display + " or " + paths.config_display;
  std::string message;
  if (use_environment) {
    message =
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
        "configure a profile in " +
        files + " (profile '" + active.name + "'" +
        (active.chosen_by.empty() ? "" : ", from " + active.chosen_by) + ")";
  } else {
    message = "no AWS credentials found in profile '" + active.name + "' (from " +
              active.chosen_by +
              "): give it aws_access_key_id and aws_secret_access_key, or "
              "credential_process, in " +
              files;
  }

  auto chain = std::make_unique<CredentialsChain>(std::move(message));
  if (use_environment) chain->add(std::make_unique<EnvironmentCredentialsProvider>(env));
  // Where assume role, web identity and SSO will go: botocore asks them here, before the
  // profile's own keys.
  chain->add(std::make_unique<ProfileCredentialsProvider>(
      config, active.name, ProfileCredentialsProvider::File::kCredentials));
  chain->add(std::make_unique<ProcessCredentialsProvider>(config, active.name, options.process));
  chain->add(std::make_unique<ProfileCredentialsProvider>(
      config, active.name, ProfileCredentialsProvider::File::kConfig));
  // Container credentials and instance metadata come last.
  return chain;
}

CachingCredentialsProvider::CachingCredentialsProvider(std::unique_ptr<CredentialsProvider> inner,
                                                       Clock clock,
                                                       std::chrono::seconds refresh_before)
    : inner_(std::move(inner)), clock_(std::move(clock)), refresh_before_(refresh_before) {}

Result<std::optional<Credentials>> CachingCredentialsProvider::resolve() {
  const std::lock_guard lock(mutex_);
  const auto now = clock_();
  if (cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_before_)) {
    return cached_;
  }
  auto fresh = inner_->resolve();
  if (!fresh) {
    if (cached_ && cached_->expiration && now < *cached_->expiration) return cached_;
    cached_.reset();
    return fresh;
  }
  cached_ = *fresh;
  return fresh;
}

}  // namespace costwatch::aws
