#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aws/credential_chain.h"
#include "aws/credential_providers.h"
#include "aws/environment.h"
#include "aws/shared_config.h"
#include "credentials_test_util.h"

namespace costwatch::aws {
namespace {

using ::testing::HasSubstr;
using testing::kSecret;
using testing::kToken;
using testing::Vars;

const std::string kSecretStr(kSecret);

SharedConfig Config(std::optional<std::string_view> config,
                    std::optional<std::string_view> credentials) {
  SharedConfigPaths paths;
  paths.config_display = "~/.aws/config";
  paths.credentials_display = "~/.aws/credentials";
  auto loaded = SharedConfig::Parse(config, credentials, paths);
  EXPECT_TRUE(loaded.ok()) << (loaded ? "" : loaded.error().message);
  return loaded ? *loaded : SharedConfig{};
}

std::optional<Credentials> MustResolve(CredentialsProvider& provider) {
  auto result = provider.resolve();
  EXPECT_TRUE(result.ok()) << (result ? "" : result.error().message);
  return result ? *result : std::nullopt;
}

std::string ResolveError(CredentialsProvider& provider) {
  auto result = provider.resolve();
  EXPECT_FALSE(result.ok());
  return result ? "" : result.error().message;
}

Credentials ResolveChain(const Environment& env, const SharedConfig& config,
                         std::optional<std::string> flag = std::nullopt) {
  auto chain = MakeDefaultCredentialsChain(env, config, {std::move(flag), {}});
  EXPECT_TRUE(chain.ok()) << (chain ? "" : chain.error().message);
  if (!chain) return {};
  auto credentials = (*chain)->resolve();
  EXPECT_TRUE(credentials.ok()) << (credentials ? "" : credentials.error().message);
  return credentials && *credentials ? **credentials : Credentials{};
}

std::string ChainError(const Environment& env, const SharedConfig& config,
                       std::optional<std::string> flag = std::nullopt) {
  auto chain = MakeDefaultCredentialsChain(env, config, {std::move(flag), {}});
  if (!chain) return chain.error().message;
  auto credentials = (*chain)->resolve();
  EXPECT_FALSE(credentials.ok());
  return credentials ? "" : credentials.error().message;
}

// --- environment -------------------------------------------------------------------------------

TEST(EnvironmentCredentialsTest, KeysAndSessionToken) {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                          {"AWS_SECRET_ACCESS_KEY", kSecretStr},
                          {"AWS_SESSION_TOKEN", std::string(kToken)}});
  EnvironmentCredentialsProvider provider(env);
  auto credentials = MustResolve(provider);
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->access_key_id, "AKIDENV");
  EXPECT_EQ(credentials->secret_access_key, kSecret);
  EXPECT_EQ(credentials->session_token, kToken);
  EXPECT_FALSE(credentials->expiration);
  EXPECT_EQ(credentials->provider, "environment");
}

TEST(EnvironmentCredentialsTest, LegacySecurityTokenWinsAsInBotocore) {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                          {"AWS_SECRET_ACCESS_KEY", kSecretStr},
                          {"AWS_SECURITY_TOKEN", "legacy"},
                          {"AWS_SESSION_TOKEN", "modern"}});
  EnvironmentCredentialsProvider provider(env);
  EXPECT_EQ(MustResolve(provider)->session_token, "legacy");
  env.set("AWS_SESSION_TOKEN", "");
  EnvironmentCredentialsProvider only_legacy(env);
  EXPECT_EQ(MustResolve(only_legacy)->session_token, "legacy");
}

TEST(EnvironmentCredentialsTest, NothingWithoutAccessKeyEvenIfSecretIsSet) {
  MapEnvironment env(Vars{{"AWS_SECRET_ACCESS_KEY", kSecretStr}});
  EnvironmentCredentialsProvider provider(env);
  EXPECT_FALSE(MustResolve(provider));
  // botocore only knows AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, not the Java SDK's
  // AWS_ACCESS_KEY / AWS_SECRET_KEY.
  MapEnvironment legacy(Vars{{"AWS_ACCESS_KEY", "AKID"}, {"AWS_SECRET_KEY", kSecretStr}});
  EnvironmentCredentialsProvider legacy_provider(legacy);
  EXPECT_FALSE(MustResolve(legacy_provider));
}

TEST(EnvironmentCredentialsTest, AccessKeyWithoutSecretIsAnError) {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", ""}});
  EnvironmentCredentialsProvider provider(env);
  EXPECT_THAT(ResolveError(provider),
              HasSubstr("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
}

TEST(EnvironmentCredentialsTest, Expiration) {
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"},
                          {"AWS_SECRET_ACCESS_KEY", kSecretStr},
                          {"AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z"}});
  EnvironmentCredentialsProvider provider(env);
  auto credentials = MustResolve(provider);
  ASSERT_TRUE(credentials && credentials->expiration);
  EXPECT_EQ(*credentials->expiration, std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
  env.set("AWS_CREDENTIAL_EXPIRATION", "soon");
  EnvironmentCredentialsProvider bad(env);
  EXPECT_THAT(ResolveError(bad), HasSubstr("AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 time"));
}

// --- static keys in a profile ------------------------------------------------------------------

TEST(ProfileCredentialsTest, KeysFromEachFile) {
  auto config = Config("[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = " +
                           kSecretStr + "\naws_session_token = tok\n",
                       "[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s2\n"
                       "aws_security_token = legacy\naws_session_token = modern\n");
  ProfileCredentialsProvider creds(config, "dev", ProfileCredentialsProvider::File::kCredentials);
  auto from_creds = MustResolve(creds);
  ASSERT_TRUE(from_creds);
  EXPECT_EQ(from_creds->access_key_id, "AKIDCREDS");
  EXPECT_EQ(from_creds->session_token, "legacy");
  EXPECT_EQ(from_creds->provider, "profile 'dev' in ~/.aws/credentials");

  ProfileCredentialsProvider cfg(config, "dev", ProfileCredentialsProvider::File::kConfig);
  auto from_config = MustResolve(cfg);
  ASSERT_TRUE(from_config);
  EXPECT_EQ(from_config->access_key_id, "AKIDCONFIG");
  EXPECT_EQ(from_config->secret_access_key, kSecret);
  EXPECT_EQ(from_config->session_token, "tok");
  EXPECT_EQ(from_config->provider, "profile 'dev' in ~/.aws/config");
}

TEST(ProfileCredentialsTest, NothingWithoutAccessKeyOrProfile) {
  auto config = Config("[default]\nregion = x\n", "[default]\naws_secret_access_key = s\n");
  ProfileCredentialsProvider creds(config, "default",
                                   ProfileCredentialsProvider::File::kCredentials);
  EXPECT_FALSE(MustResolve(creds));
  ProfileCredentialsProvider missing(config, "nope", ProfileCredentialsProvider::File::kConfig);
  EXPECT_FALSE(MustResolve(missing));
}

TEST(ProfileCredentialsTest, PartialAndEmptyKeysAreErrors) {
  auto config = Config(std::nullopt,
                       "[a]\naws_access_key_id = AKID\n[b]\naws_access_key_id =\n"
                       "aws_secret_access_key = " +
                           kSecretStr +
                           "\n[c]\naws_access_key_id = AKID\n"
                           "aws_secret_access_key =\n");
  using File = ProfileCredentialsProvider::File;
  ProfileCredentialsProvider a(config, "a", File::kCredentials);
  EXPECT_EQ(ResolveError(a),
            "profile 'a' in ~/.aws/credentials has aws_access_key_id but no "
            "aws_secret_access_key");
  ProfileCredentialsProvider b(config, "b", File::kCredentials);
  EXPECT_THAT(ResolveError(b), HasSubstr("aws_access_key_id is empty"));
  ProfileCredentialsProvider c(config, "c", File::kCredentials);
  EXPECT_THAT(ResolveError(c), HasSubstr("aws_secret_access_key is empty"));
}

// --- the chain ---------------------------------------------------------------------------------

constexpr std::string_view kBothFiles =
    "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n"
    "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n";

TEST(CredentialsChainTest, EnvironmentFirstThenProfile) {
  auto config = Config(std::nullopt, kBothFiles);
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  EXPECT_EQ(ResolveChain(env, config).access_key_id, "AKIDENV");
  MapEnvironment no_keys;
  const Credentials from_profile = ResolveChain(no_keys, config);
  EXPECT_EQ(from_profile.access_key_id, "AKIDDEFAULT");
  EXPECT_EQ(from_profile.provider, "profile 'default' in ~/.aws/credentials");
}

TEST(CredentialsChainTest, AwsProfileStillLetsEnvironmentKeysWin) {
  auto config = Config(std::nullopt, kBothFiles);
  MapEnvironment env(Vars{
      {"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"AWS_PROFILE", "dev"}});
  EXPECT_EQ(ResolveChain(env, config).access_key_id, "AKIDENV");
  env.set("AWS_ACCESS_KEY_ID", "");
  EXPECT_EQ(ResolveChain(env, config).access_key_id, "AKIDDEV");
}

TEST(CredentialsChainTest, ExplicitProfileFlagSkipsEnvironment) {
  auto config = Config(std::nullopt, kBothFiles);
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  EXPECT_EQ(ResolveChain(env, config, "dev").access_key_id, "AKIDDEV");
  // Even a broken environment does not matter then.
  MapEnvironment partial(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}});
  EXPECT_EQ(ResolveChain(partial, config, "dev").access_key_id, "AKIDDEV");
}

TEST(CredentialsChainTest, CredentialsFileBeatsConfigFile) {
  auto config = Config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n",
                       "[default]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n");
  MapEnvironment env;
  EXPECT_EQ(ResolveChain(env, config).access_key_id, "AKIDCREDS");
  auto config_only =
      Config("[default]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n", "");
  const Credentials credentials = ResolveChain(env, config_only);
  EXPECT_EQ(credentials.access_key_id, "AKIDCONFIG");
  EXPECT_EQ(credentials.provider, "profile 'default' in ~/.aws/config");
}

TEST(CredentialsChainTest, ProviderErrorStopsTheChain) {
  auto config = Config(std::nullopt, kBothFiles);
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}});
  EXPECT_THAT(ChainError(env, config), HasSubstr("AWS_SECRET_ACCESS_KEY is not"));
}

TEST(CredentialsChainTest, NothingFoundNamesTheProfileTried) {
  auto config = Config("[default]\nregion = x\n", std::nullopt);
  MapEnvironment env;
  EXPECT_EQ(ChainError(env, config),
            "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
            "configure a profile in ~/.aws/credentials or ~/.aws/config (profile 'default')");
  auto with_dev = Config("[profile dev]\nregion = x\n", std::nullopt);
  MapEnvironment aws_profile(Vars{{"AWS_PROFILE", "dev"}});
  EXPECT_THAT(ChainError(aws_profile, with_dev), HasSubstr("(profile 'dev', from AWS_PROFILE)"));
  EXPECT_EQ(ChainError(env, with_dev, "dev"),
            "no AWS credentials found in profile 'dev' (from --profile): give it "
            "aws_access_key_id and aws_secret_access_key, or credential_process, in "
            "~/.aws/credentials or ~/.aws/config");
}

TEST(CredentialsChainTest, UnknownExplicitProfileIsAnErrorEvenWithEnvironmentKeys) {
  auto config = Config(std::nullopt, kBothFiles);
  MapEnvironment env(Vars{{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
  EXPECT_EQ(ChainError(env, config, "nope"),
            "profile 'nope' (from --profile) not found in ~/.aws/config or ~/.aws/credentials");
  env.set("AWS_PROFILE", "nope");
  EXPECT_THAT(ChainError(env, config), HasSubstr("profile 'nope' (from AWS_PROFILE) not found"));
}

TEST(CredentialsChainTest, LaterProvidersPlugIn) {
  struct Fixed final : CredentialsProvider {
    Result<std::optional<Credentials>> resolve() override {
      Credentials c;
      c.access_key_id = "AKIDFIXED";
      c.provider = name();
      return std::optional<Credentials>(c);
    }
    [[nodiscard]] std::string name() const override { return "fixed"; }
  };
  auto config = Config(std::nullopt, std::nullopt);
  MapEnvironment env;
  auto chain = MakeDefaultCredentialsChain(env, config);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ((*chain)->providers().size(), 4u);
  (*chain)->add(std::make_unique<Fixed>());
  auto credentials = (*chain)->resolve();
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ((*credentials)->provider, "fixed");
}

// --- caching -----------------------------------------------------------------------------------

// Answers with a new access key id on every call and counts the calls.
class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(std::optional<std::chrono::system_clock::time_point> expiration)
      : expiration_(expiration) {}
  Result<std::optional<Credentials>> resolve() override {
    const int n = ++calls;
    if (fail) return Fail("refresh failed");
    Credentials c;
    c.access_key_id = "AKID" + std::to_string(n);
    c.secret_access_key = kSecretStr;
    c.expiration = expiration_;
    return std::optional<Credentials>(c);
  }
  [[nodiscard]] std::string name() const override { return "counting"; }

  std::atomic<int> calls{0};
  std::atomic<bool> fail{false};

 private:
  std::optional<std::chrono::system_clock::time_point> expiration_;
};

TEST(CachingCredentialsTest, RefreshesFiveMinutesBeforeExpiry) {
  using namespace std::chrono;
  const auto t0 = sys_days{year{2030} / 1 / 1};
  auto now = std::make_shared<system_clock::time_point>(t0);
  auto inner = std::make_unique<CountingProvider>(t0 + hours{1});
  CountingProvider* counting = inner.get();
  CachingCredentialsProvider cache(std::move(inner), [now] { return *now; });

  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID1");
  *now = t0 + minutes{54} + seconds{59};
  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID1");
  EXPECT_EQ(counting->calls, 1);
  *now = t0 + minutes{55};
  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID2");
  EXPECT_EQ(counting->calls, 2);
  EXPECT_EQ(cache.name(), "counting");
}

TEST(CachingCredentialsTest, FailedRefreshKeepsUnexpiredCredentialsThenFails) {
  using namespace std::chrono;
  const auto t0 = sys_days{year{2030} / 1 / 1};
  auto now = std::make_shared<system_clock::time_point>(t0);
  auto inner = std::make_unique<CountingProvider>(t0 + hours{1});
  CountingProvider* counting = inner.get();
  CachingCredentialsProvider cache(std::move(inner), [now] { return *now; });
  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID1");
  counting->fail = true;
  *now = t0 + minutes{58};
  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID1");
  *now = t0 + hours{1};
  EXPECT_EQ(ResolveError(cache), "refresh failed");
  counting->fail = false;
  EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID4");
}

TEST(CachingCredentialsTest, CredentialsWithoutExpirationAreKept) {
  auto inner = std::make_unique<CountingProvider>(std::nullopt);
  CountingProvider* counting = inner.get();
  CachingCredentialsProvider cache(std::move(inner));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(MustResolve(cache)->access_key_id, "AKID1");
  EXPECT_EQ(counting->calls, 1);
}

TEST(CachingCredentialsTest, ConcurrentCallersShareOneResolve) {
  auto inner = std::make_unique<CountingProvider>(std::nullopt);
  CountingProvider* counting = inner.get();
  CachingCredentialsProvider cache(std::move(inner));
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        auto r = cache.resolve();
        if (r.ok() && *r && (*r)->access_key_id == "AKID1") ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good, 800);
  EXPECT_EQ(counting->calls, 1);
}

}  // namespace
}  // namespace costwatch::aws
