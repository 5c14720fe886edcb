#include "cli/aws_session.h"

#include <thread>

#include "aws/credential_chain.h"
#include "aws/network.h"

namespace costwatch::cli {

Result<AwsSession> OpenAwsSession(const std::string& explicit_profile) {
  AwsSession session;
  session.env = std::make_unique<aws::ProcessEnvironment>();
  const aws::Environment& env = *session.env;

  auto config = aws::SharedConfig::Load(env);
  if (!config) return config.error();
  session.config = std::move(*config);

  std::optional<std::string_view> flag;
  if (!explicit_profile.empty()) flag = explicit_profile;
  const aws::ActiveProfile active = aws::SelectProfile(env, flag);
  if (auto exists = aws::CheckProfileExists(session.config, active); !exists) return exists.error();
  session.profile_name = active.name;
  session.profile = session.config.profile(active.name);

  auto retry = aws::ResolveRetryOptions(env, session.profile);
  if (!retry) return retry.error();
  session.retry = *retry;

  const auto from_profile = [&](std::string_view key) -> std::optional<std::string> {
    return session.profile != nullptr ? session.profile->get(key) : std::nullopt;
  };
  session.region = env.get("AWS_REGION");
  if (!session.region) session.region = env.get("AWS_DEFAULT_REGION");
  if (!session.region) session.region = from_profile("region");
  if (auto bundle = env.get("AWS_CA_BUNDLE")) {
    session.http.ca_bundle = *bundle;
  } else if (auto profile_bundle = from_profile("ca_bundle")) {
    session.http.ca_bundle = *profile_bundle;
  }

  // Roles, web identity, SSO, containers and instance metadata call servers: they get clients
  // with the same CA bundle and the command's retry settings.
  aws::CredentialsChainOptions chain_options;
  if (flag) chain_options.profile_flag = std::string(*flag);
  chain_options.network.http = aws::HttplibClientFactory(session.http.ca_bundle);
  chain_options.network.retry = session.retry;
  chain_options.network.random01 = aws::SystemRandom();
  chain_options.network.sleep = [](std::chrono::milliseconds delay) {
    std::this_thread::sleep_for(delay);
  };
  auto chain = aws::MakeDefaultCredentialsChain(env, session.config, chain_options);
  if (!chain) return chain.error();
  session.credentials = std::make_unique<aws::CachingCredentialsProvider>(std::move(*chain));
  return session;
}

}  // namespace costwatch::cli
