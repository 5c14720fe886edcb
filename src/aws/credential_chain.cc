#include "aws/credential_chain.h"

#include <algorithm>
#include <charconv>

#include "aws/container_provider.h"
#include "aws/imds_provider.h"
#include "aws/role_providers.h"
#include "aws/sso_provider.h"
#include "aws/sts_client.h"

namespace costwatch::aws {
namespace {

// Builds the providers that read a profile, for the default chain and for the source_profile
// of a role (botocore's ProfileProviderBuilder plus AssumeRoleProvider).
class ChainBuilder {
 public:
  ChainBuilder(const Environment& env, const SharedConfig& config,
               const CredentialsChainOptions& options, const Profile* active)
      : env_(env),
        config_(config),
        options_(options),
        sts_(ResolveStsEndpoint(env, config, active)) {}

  // web identity, SSO, credentials file, credential_process, config file: in this order.
  void AddProfileProviders(CredentialsChain& chain, const std::string& profile,
                           bool disable_env) const {
    if (auto web = WebIdentity(profile, disable_env)) chain.add(std::move(web));
    if (auto sso = Sso(profile)) chain.add(std::move(sso));
    chain.add(std::make_unique<ProfileCredentialsProvider>(
        config_, profile, ProfileCredentialsProvider::File::kCredentials));
    chain.add(std::make_unique<ProcessCredentialsProvider>(config_, profile, options_.process));
    chain.add(std::make_unique<ProfileCredentialsProvider>(
        config_, profile, ProfileCredentialsProvider::File::kConfig));
  }

  // nullptr when the profile does not assume a role.
  std::unique_ptr<CredentialsProvider> AssumeRole(const std::string& profile_name,
                                                  std::vector<std::string>& visited) const {
    const Profile* profile = config_.profile(profile_name);
    if (profile == nullptr || !HasRoleConfig(*profile)) return nullptr;
    auto provider = MakeAssumeRole(*profile, visited);
    if (!provider) {
      return std::make_unique<FailingProvider>("assume role (profile " + profile_name + ")",
                                               provider.error());
    }
    return std::move(*provider);
  }

  std::unique_ptr<CredentialsProvider> Container() const {
    auto settings = ContainerSettingsFromEnvironment(env_);
    if (!settings) return std::make_unique<FailingProvider>("container", settings.error());
    if (!*settings) return nullptr;
    return std::make_unique<ContainerProvider>(std::move(**settings), options_.network);
  }

  std::unique_ptr<CredentialsProvider> Imds(const Profile* profile) const {
    auto settings = ImdsSettingsFrom(env_, profile);
    if (!settings) {
      return std::make_unique<FailingProvider>("EC2 instance metadata", settings.error());
    }
    if (!*settings) return nullptr;
    return std::make_unique<ImdsProvider>(std::move(**settings), options_.network);
  }

 private:
  static bool HasRoleConfig(const Profile& profile) {
    // A profile with web_identity_token_file belongs to the web identity provider.
    return profile.has("role_arn") && !profile.has("web_identity_token_file");
  }
  static bool HasStaticKeys(const Profile& profile) {
    return profile.has("aws_access_key_id") || profile.has("aws_secret_access_key");
  }

  std::unique_ptr<CredentialsProvider> WebIdentity(const std::string& profile_name,
                                                   bool disable_env) const {
    const Profile* profile = config_.profile(profile_name);
    const auto get = [&](std::string_view env_name,
                         std::string_view key) -> std::optional<std::string> {
      if (!disable_env) {
        if (auto value = env_.get(env_name)) return value;
      }
      if (profile != nullptr) {
        if (auto value = profile->get(key); value && !value->empty()) return value;
      }
      return std::nullopt;
    };
    WebIdentitySettings settings;
    auto token_file = get("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
    if (!token_file) return nullptr;
    settings.token_file = *token_file;
    settings.origin = !disable_env && env_.get("AWS_WEB_IDENTITY_TOKEN_FILE")
                          ? "AWS_WEB_IDENTITY_TOKEN_FILE"
                          : "profile " + profile_name;
    settings.role_arn = get("AWS_ROLE_ARN", "role_arn");
    settings.role_session_name = get("AWS_ROLE_SESSION_NAME", "role_session_name");
    if (!sts_) return std::make_unique<FailingProvider>("web identity", sts_.error());
    return std::make_unique<WebIdentityProvider>(std::move(settings), *sts_, options_.network);
  }

  std::unique_ptr<CredentialsProvider> Sso(const std::string& profile_name) const {
    auto settings = SsoSettingsFrom(env_, config_, profile_name);
    if (!settings) return std::make_unique<FailingProvider>("SSO", settings.error());
    if (!*settings) return nullptr;
    return std::make_unique<SsoProvider>(std::move(**settings), options_.network);
  }

  Result<std::unique_ptr<CredentialsProvider>> MakeAssumeRole(
      const Profile& profile, std::vector<std::string>& visited) const {
    const std::string what = "profile '" + profile.name + "'";
    RoleSettings role;
    role.profile_name = profile.name;
    role.role_arn = profile.get("role_arn").value_or("");
    if (role.role_arn.empty()) return Fail(what + ": role_arn is empty");
    role.role_session_name = profile.get("role_session_name");
    role.external_id = profile.get("external_id");
    if (auto duration = profile.get("duration_seconds")) {
      const std::string_view text = *duration;
      int seconds = 0;
      const char* last = text.data() + text.size();
      auto [end, ec] = std::from_chars(text.data(), last, seconds);
      if (ec != std::errc() || end != last || seconds < 900 || seconds > 43200) {
        return Fail(what + ": duration_seconds must be a number of seconds from 900 to 43200");
      }
      role.duration_seconds = seconds;
    }
    if (profile.has("mfa_serial")) {
      return Fail(what + " assumes role " + role.role_arn +
                  " with mfa_serial, but costwatch runs unattended and cannot ask for an MFA "
                  "code: use a role that does not require MFA, or credential_process");
    }
    const auto source_profile = profile.get("source_profile");
    const auto credential_source = profile.get("credential_source");
    if (source_profile && credential_source) {
      return Fail(what + " has both source_profile and credential_source: keep one");
    }
    if (!source_profile && !credential_source) {
      return Fail(what + " has role_arn but neither source_profile nor credential_source");
    }
    if (!sts_) return WithContext(what, sts_.error());

    std::unique_ptr<CredentialsProvider> source;
    std::string description;
    if (credential_source) {
      description = "credential_source " + *credential_source;
      if (*credential_source == "Environment") {
        source = std::make_unique<EnvironmentCredentialsProvider>(env_);
      } else if (*credential_source == "Ec2InstanceMetadata") {
        source = Imds(config_.profile(profile.name));
      } else if (*credential_source == "EcsContainer") {
        source = Container();
      } else {
        return Fail(what + ": credential_source \"" + *credential_source +
                    "\" is not one of Environment, Ec2InstanceMetadata, EcsContainer");
      }
      // Disabled metadata or no container variables: the source simply has nothing.
      if (!source) {
        source = std::make_unique<FailingProvider>(
            description, Error{"no credentials found in " + description + " of " + what});
      }
    } else {
      description = "source_profile " + *source_profile;
      auto made = SourceProfile(profile.name, *source_profile, visited);
      if (!made) return made.error();
      source = std::move(*made);
    }
    return std::unique_ptr<CredentialsProvider>(std::make_unique<AssumeRoleProvider>(
        std::move(role), std::move(source), std::move(description), *sts_, options_.network));
  }

  Result<std::unique_ptr<CredentialsProvider>> SourceProfile(
      const std::string& parent, const std::string& name, std::vector<std::string>& visited) const {
    const Profile* source = config_.profile(name);
    if (source == nullptr) {
      return Fail("the source_profile '" + name + "' of profile '" + parent + "' does not exist");
    }
    // botocore allows a role profile to name itself as the source of its own static keys; any
    // other revisit is a loop.
    const bool seen = std::find(visited.begin(), visited.end(), name) != visited.end();
    if (seen && (name != parent || !HasStaticKeys(*source))) {
      std::string path;
      for (const auto& step : visited) path += step + " -> ";
      return Fail("the source_profile chain loops: " + path + name);
    }
    visited.push_back(name);
    if (HasStaticKeys(*source) || !HasRoleConfig(*source)) {
      auto chain = std::make_unique<CredentialsChain>(
          "the source_profile '" + name + "' of profile '" + parent + "' has no credentials");
      AddProfileProviders(*chain, name, /*disable_env=*/true);
      return std::unique_ptr<CredentialsProvider>(std::move(chain));
    }
    auto inner = MakeAssumeRole(*source, visited);
    if (!inner) return inner.error();
    // Each link of a role chain keeps its own credentials until they are about to expire.
    return std::unique_ptr<CredentialsProvider>(
        std::make_unique<CachingCredentialsProvider>(std::move(*inner), options_.network.clock));
  }

  const Environment& env_;
  const SharedConfig& config_;
  const CredentialsChainOptions& options_;
  Result<ServiceEndpoint> sts_;
};

}  // namespace

Result<std::optional<Credentials>> CredentialsChain::resolve() {
  if (answered_ && *answered_ < providers_.size()) {
    auto credentials = providers_[*answered_]->resolve();
    if (!credentials || *credentials) return credentials;
    answered_.reset();  // it has nothing now: search the whole chain again
  }
  for (size_t i = 0; i < providers_.size(); ++i) {
    auto credentials = providers_[i]->resolve();
    if (credentials && *credentials) answered_ = i;
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

  const Profile* profile = config.profile(active.name);
  const ChainBuilder builder(env, config, options, profile);
  auto chain = std::make_unique<CredentialsChain>(std::move(message));
  if (use_environment) chain->add(std::make_unique<EnvironmentCredentialsProvider>(env));
  std::vector<std::string> visited{active.name};
  if (auto role = builder.AssumeRole(active.name, visited)) chain->add(std::move(role));
  builder.AddProfileProviders(*chain, active.name, /*disable_env=*/!use_environment);
  if (auto container = builder.Container()) chain->add(std::move(container));
  // Instance metadata is only ever a fallback, so without a way to reach it, it is left out.
  if (options.network.http) {
    if (auto imds = builder.Imds(profile)) chain->add(std::move(imds));
  }
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
