#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/container_provider.h"
#include "aws/credential_chain.h"
#include "aws/imds_provider.h"
#include "aws/sso_provider.h"
#include "credentials_test_util.h"
#include "scripted_http.h"

namespace costwatch::aws {
namespace {

using ::testing::HasSubstr;
using testing::kSecret;
using ::testing::Not;
using testing::ScriptedNetwork;
using testing::TempDir;

const std::string kSecretStr(kSecret);

std::string StsReply(std::string_view action, std::string_view key) {
  return "<" + std::string(action) + "Response><" + std::string(action) +
         "Result><Credentials><AccessKeyId>" + std::string(key) +
         "</AccessKeyId><SecretAccessKey>" + kSecretStr +
         "</SecretAccessKey><SessionToken>TOKEN</SessionToken><Expiration>2015-08-30T13:36:00Z"
         "</Expiration></Credentials></" +
         std::string(action) + "Result></" + std::string(action) + "Response>";
}

SharedConfig Config(std::string_view config_text,
                    std::optional<std::string_view> credentials = {}) {
  auto loaded = SharedConfig::Parse(config_text, credentials);
  EXPECT_TRUE(loaded.ok()) << (loaded ? "" : loaded.error().message);
  return loaded ? *loaded : SharedConfig{};
}

class ChainTest : public ::testing::Test {
 protected:
  Result<std::optional<Credentials>> Resolve(const SharedConfig& config,
                                             std::optional<std::string> flag = std::nullopt) {
    CredentialsChainOptions options;
    options.profile_flag = std::move(flag);
    options.network = net_.context();
    auto chain = MakeDefaultCredentialsChain(env_, config, options);
    if (!chain) return chain.error();
    chain_ = std::move(*chain);
    return chain_->resolve();
  }
  std::string Error(const SharedConfig& config, std::optional<std::string> flag = std::nullopt) {
    auto result = Resolve(config, std::move(flag));
    EXPECT_FALSE(result.ok());
    const std::string message = result ? "" : result.error().message;
    EXPECT_THAT(message, Not(HasSubstr(kSecretStr)));
    return message;
  }

  MapEnvironment env_{{{"AWS_EC2_METADATA_DISABLED", "true"}, {"HOME", "/nonexistent"}}};
  ScriptedNetwork net_;
  std::unique_ptr<CredentialsChain> chain_;
};

constexpr std::string_view kRoleConfig = R"(
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
external_id = ext-1
role_session_name = nightly
duration_seconds = 1800
region = eu-west-1
[profile chained]
role_arn = arn:aws:iam::210987654321:role/reader
source_profile = admin
[profile mfa]
role_arn = arn:aws:iam::1:role/x
source_profile = base
mfa_serial = arn:aws:iam::1:mfa/me
[profile both]
role_arn = arn:aws:iam::1:role/x
source_profile = base
credential_source = Environment
[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a
[profile from-env]
role_arn = arn:aws:iam::1:role/env
credential_source = Environment
[profile from-imds]
role_arn = arn:aws:iam::1:role/imds
credential_source = Ec2InstanceMetadata
[profile bogus-source]
role_arn = arn:aws:iam::1:role/x
credential_source = Laptop
)";

TEST_F(ChainTest, AssumesARoleWithSourceProfileKeys) {
  net_.http.reply(200, StsReply("AssumeRole", "ASIAADMIN"));
  auto credentials = Resolve(Config(kRoleConfig), "admin");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIAADMIN");
  EXPECT_THAT((*credentials)->provider,
              HasSubstr("assume role arn:aws:iam::123456789012:role/admin (profile admin)"));
  ASSERT_EQ(net_.http.sent.size(), 1U);
  const auto& request = net_.http.sent[0];
  EXPECT_EQ(request.url, "https://sts.eu-west-1.amazonaws.com/");  // the profile's region
  EXPECT_THAT(request.body,
              HasSubstr("RoleSessionName=nightly&DurationSeconds=1800&ExternalId=ext-1"));
  EXPECT_THAT(*request.header("Authorization"), HasSubstr("Credential=AKIDBASE/"));
}

TEST_F(ChainTest, ChainsRolesThroughSourceProfiles) {
  net_.http.reply(200, StsReply("AssumeRole", "ASIAADMIN"));
  net_.http.reply(200, StsReply("AssumeRole", "ASIAREADER"));
  auto credentials = Resolve(Config(kRoleConfig), "chained");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIAREADER");
  ASSERT_EQ(net_.http.sent.size(), 2U);
  EXPECT_THAT(net_.http.sent[0].body, HasSubstr("role%2Fadmin"));
  EXPECT_THAT(net_.http.sent[1].body, HasSubstr("role%2Freader"));
  EXPECT_THAT(*net_.http.sent[1].header("Authorization"), HasSubstr("Credential=ASIAADMIN/"));
  EXPECT_THAT(net_.http.sent[1].body, HasSubstr("RoleSessionName=costwatch-session-"));
}

TEST_F(ChainTest, RefusesMfaBadSourcesAndLoopsClearly) {
  const SharedConfig config = Config(kRoleConfig);
  EXPECT_THAT(Error(config, "mfa"),
              HasSubstr("costwatch runs unattended and cannot ask for an MFA code: use a role "
                        "that does not require MFA, or credential_process"));
  EXPECT_THAT(Error(config, "both"), HasSubstr("both source_profile and credential_source"));
  EXPECT_THAT(Error(config, "loop-a"), HasSubstr("loops: loop-a -> loop-b -> loop-a"));
  EXPECT_THAT(Error(config, "bogus-source"), HasSubstr("credential_source \"Laptop\""));
  EXPECT_THAT(Error(config, "from-env"),
              HasSubstr("no credentials found in credential_source Environment"));
  EXPECT_THAT(Error(config, "from-imds"),
              HasSubstr("no credentials found in credential_source Ec2InstanceMetadata"));
  EXPECT_TRUE(net_.http.sent.empty());
}

TEST_F(ChainTest, CredentialSourceEnvironment) {
  env_.set("AWS_ACCESS_KEY_ID", "AKIDENV");
  env_.set("AWS_SECRET_ACCESS_KEY", kSecretStr);
  net_.http.reply(200, StsReply("AssumeRole", "ASIAENV"));
  auto credentials = Resolve(Config(kRoleConfig), "from-env");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIAENV");
  EXPECT_THAT(*net_.http.sent[0].header("Authorization"), HasSubstr("Credential=AKIDENV/"));
}

TEST_F(ChainTest, WebIdentityFromTheEnvironment) {
  TempDir dir;
  env_.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir.Write("token", "header.payload.signature\n"));
  env_.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  env_.set("AWS_ROLE_SESSION_NAME", "pod-1");
  env_.set("AWS_REGION", "us-west-2");
  net_.http.reply(200, StsReply("AssumeRoleWithWebIdentity", "ASIAWEB"));
  auto credentials = Resolve(Config(""));
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIAWEB");
  EXPECT_EQ((*credentials)->provider,
            "web identity arn:aws:iam::1:role/irsa (AWS_WEB_IDENTITY_TOKEN_FILE)");
  const auto& request = net_.http.sent.at(0);
  EXPECT_EQ(request.url, "https://sts.us-west-2.amazonaws.com/");
  EXPECT_FALSE(request.header("Authorization"));
  EXPECT_EQ(request.body,
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%"
            "3Arole%2Firsa&RoleSessionName=pod-1&WebIdentityToken=header.payload.signature");
}

TEST_F(ChainTest, WebIdentityFromAProfileAndItsErrors) {
  TempDir dir;
  const std::string token = dir.Write("token", "t");
  EXPECT_THAT(Error(Config("[default]\nweb_identity_token_file = " + token + "\n")),
              HasSubstr("no role ARN: set role_arn in the profile"));
  EXPECT_THAT(Error(Config("[default]\nrole_arn = arn:aws:iam::1:role/x\n"
                           "web_identity_token_file = " +
                           dir.path() + "/missing\n")),
              HasSubstr("cannot read web identity token file"));
}

TEST_F(ChainTest, ContainerCredentialsWithAnAuthorizationTokenFile) {
  TempDir dir;
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/v1/credentials");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored");
  env_.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.Write("auth", "pod-token\n"));
  net_.http.fail("connection refused");
  net_.http.reply(500, "");
  net_.http.reply(200, R"({"AccessKeyId":"ASIAPOD","SecretAccessKey":")" + kSecretStr +
                           R"(","Token":"T","Expiration":"2015-08-30T18:00:00Z"})");
  auto credentials = Resolve(Config(""));
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIAPOD");
  ASSERT_EQ(net_.http.sent.size(), 3U);
  EXPECT_EQ(net_.http.sent[2].url, "http://127.0.0.1:9/v1/credentials");
  EXPECT_EQ(net_.http.sent[2].header("Authorization"), "pod-token");
  EXPECT_EQ(net_.timeouts, std::vector<std::chrono::milliseconds>{std::chrono::seconds(2)});
}

TEST_F(ChainTest, ContainerEndpointRulesAndFailures) {
  env_.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.168.1.5/creds");
  EXPECT_THAT(Error(Config("")), HasSubstr("only loopback addresses"));
  env_.set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
  for (int i = 0; i < 3; ++i) net_.http.reply(404, "");
  EXPECT_THAT(Error(Config("")),
              HasSubstr("failed after 3 attempts: the endpoint answered HTTP 404"));
  EXPECT_EQ(net_.http.sent.at(0).url, "http://169.254.170.2/v2/credentials/abc");
}

class ImdsTest : public ::testing::Test {
 protected:
  Result<std::optional<Credentials>> Resolve(ImdsSettings settings = {}) {
    settings.endpoint = "http://127.0.0.1:1";
    ImdsProvider provider(settings, net_.context());
    return provider.resolve();
  }
  static std::string Document() {
    return R"({"Code":"Success","AccessKeyId":"ASIAEC2","SecretAccessKey":")" + kSecretStr +
           R"(","Token":"T","Expiration":"2015-08-30T18:00:00Z"})";
  }
  ScriptedNetwork net_;
};

TEST_F(ImdsTest, UsesASessionToken) {
  net_.http.reply(200, "imds-token");
  net_.http.reply(200, "web-role\n");
  net_.http.reply(200, Document());
  auto credentials = Resolve();
  ASSERT_TRUE(credentials.ok() && *credentials);
  EXPECT_EQ((*credentials)->provider, "EC2 instance metadata (role web-role, IMDSv2)");
  const auto& sent = net_.http.sent;
  ASSERT_EQ(sent.size(), 3U);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:1/latest/api/token");
  EXPECT_EQ(sent[0].header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(sent[1].url, "http://127.0.0.1:1/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(sent[2].url, "http://127.0.0.1:1/latest/meta-data/iam/security-credentials/web-role");
  EXPECT_EQ(sent[2].header("X-aws-ec2-metadata-token"), "imds-token");
  EXPECT_EQ(net_.timeouts, std::vector<std::chrono::milliseconds>{std::chrono::seconds(1)});
}

TEST_F(ImdsTest, FallsBackToV1OnlyWhereBotocoreDoes) {
  net_.http.reply(403, "");  // token refused: IMDSv1
  net_.http.reply(200, "role");
  net_.http.reply(200, Document());
  auto v1 = Resolve();
  ASSERT_TRUE(v1.ok() && *v1);
  EXPECT_EQ((*v1)->provider, "EC2 instance metadata (role role, IMDSv1)");
  EXPECT_FALSE(net_.http.sent[1].header("X-aws-ec2-metadata-token"));

  net_.http.sent.clear();
  net_.http.reply(400, "");  // a bad token request: nothing
  auto bad = Resolve();
  EXPECT_TRUE(bad.ok() && !*bad);
  EXPECT_EQ(net_.http.sent.size(), 1U);

  ImdsSettings no_v1;
  no_v1.v1_disabled = true;
  net_.http.reply(404, "");
  auto refused = Resolve(no_v1);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("IMDSv1 is disabled"));
}

TEST_F(ImdsTest, RetriesOnceAndEndsWithNothing) {
  net_.http.fail("timeout");
  net_.http.fail("timeout");  // no token after two tries: IMDSv1
  net_.http.reply(500, "");
  net_.http.reply(200, "role");
  net_.http.reply(200, "not json");
  net_.http.reply(200, R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"no"})");
  auto credentials = Resolve();
  EXPECT_TRUE(credentials.ok() && !*credentials);
  EXPECT_EQ(net_.http.sent.size(), 6U);
}

TEST(ImdsSettings, FromEnvironmentAndProfile) {
  MapEnvironment env;
  EXPECT_EQ(ImdsSettingsFrom(env, nullptr)->value().endpoint, "http://169.254.169.254");
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6");
  EXPECT_EQ(ImdsSettingsFrom(env, nullptr)->value().endpoint, "http://[fd00:ec2::254]");
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8080/");
  env.set("AWS_METADATA_SERVICE_TIMEOUT", "2.5");
  env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
  auto settings = ImdsSettingsFrom(env, nullptr);
  ASSERT_TRUE(settings.ok() && *settings);
  EXPECT_EQ((*settings)->endpoint, "http://127.0.0.1:8080");
  EXPECT_EQ((*settings)->timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ((*settings)->attempts, 3);
  env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
  EXPECT_FALSE(ImdsSettingsFrom(env, nullptr)->has_value());
}

class SsoTest : public ChainTest {
 protected:
  void SetUp() override { env_.set("HOME", home_.path()); }
  void WriteCache(std::string_view key, std::string_view expires_at) {
    home_.Write(".aws/sso/cache/" + Sha1Hex(key) + ".json",
                R"({"startUrl":"https://corp.awsapps.com/start","region":"eu-central-1",)"
                R"("accessToken":"sso-access-token-value","expiresAt":")" +
                    std::string(expires_at) + "\"}");
  }
  TempDir home_;
};

constexpr std::string_view kSsoConfig = R"(
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
[profile legacy]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-central-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
[profile incomplete]
sso_account_id = 111122223333
)";

TEST_F(SsoTest, ExchangesTheCachedTokenForRoleCredentials) {
  WriteCache("corp", "2015-08-30T20:00:00Z");
  net_.http.reply(200, R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":")" +
                           kSecretStr + R"(","sessionToken":"T","expiration":1440941760000}})");
  auto credentials = Resolve(Config(kSsoConfig), "dev");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_EQ((*credentials)->access_key_id, "ASIASSO");
  EXPECT_EQ((*credentials)->expiration, net_.now + std::chrono::hours{1});
  const auto& request = net_.http.sent.at(0);
  EXPECT_EQ(request.url,
            "https://portal.sso.eu-central-1.amazonaws.com/federation/credentials?account_id="
            "111122223333&role_name=ReadOnly");
  EXPECT_EQ(request.header("x-amz-sso_bearer_token"), "sso-access-token-value");
  EXPECT_FALSE(request.header("Authorization"));
}

TEST_F(SsoTest, LegacyProfilesUseTheStartUrlAsCacheKey) {
  WriteCache("https://corp.awsapps.com/start", "2015-08-30T20:00:00UTC");
  env_.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:7000/");
  net_.http.reply(200, R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"s",)"
                       R"("sessionToken":"T","expiration":1440941760000}})");
  auto credentials = Resolve(Config(kSsoConfig), "legacy");
  ASSERT_TRUE(credentials.ok()) << credentials.error().message;
  EXPECT_THAT(net_.http.sent.at(0).url, HasSubstr("http://127.0.0.1:7000/federation/credentials"));
}

TEST_F(SsoTest, ExpiredOrRejectedTokensTellTheUserToLogIn) {
  const SharedConfig config = Config(kSsoConfig);
  EXPECT_THAT(Error(config, "dev"), HasSubstr("no SSO login found"));
  EXPECT_THAT(Error(config, "dev"), HasSubstr("run aws sso login --profile dev"));
  WriteCache("corp", "2015-08-30T12:00:00Z");
  EXPECT_THAT(Error(config, "dev"),
              HasSubstr("the SSO session has expired: run aws sso login --profile dev"));
  WriteCache("corp", "2015-08-30T20:00:00Z");
  net_.http.reply(401, R"({"message":"Session token not found or invalid"})");
  const std::string rejected = Error(config, "dev");
  EXPECT_THAT(rejected, HasSubstr("run aws sso login --profile dev"));
  EXPECT_THAT(rejected, Not(HasSubstr("sso-access-token-value")));
  EXPECT_THAT(Error(config, "incomplete"),
              HasSubstr("missing sso_start_url, sso_region, sso_role_name"));
}

// Counts resolves; its credentials expire at `expires`.
class CountingProvider final : public CredentialsProvider {
 public:
  Result<std::optional<Credentials>> resolve() override {
    ++calls;
    if (!answer) return std::optional<Credentials>();
    Credentials c{"AKID" + std::to_string(calls), "s", "t", expires, "counting"};
    return std::optional<Credentials>(c);
  }
  [[nodiscard]] std::string name() const override { return "counting"; }
  int calls = 0;
  bool answer = true;
  std::optional<std::chrono::system_clock::time_point> expires;
};

TEST(CredentialsChain, RefreshesOnlyTheProviderThatAnswered) {
  CredentialsChain chain("none");
  auto first = std::make_unique<CountingProvider>();
  auto second = std::make_unique<CountingProvider>();
  first->answer = false;
  CountingProvider* a = first.get();
  CountingProvider* b = second.get();
  chain.add(std::move(first));
  chain.add(std::move(second));
  ASSERT_TRUE(chain.resolve().ok());
  ASSERT_TRUE(chain.resolve().ok());
  EXPECT_EQ(a->calls, 1);
  EXPECT_EQ(b->calls, 2);
  b->answer = false;  // nothing any more: the whole chain is searched again
  EXPECT_FALSE(chain.resolve().ok());
  EXPECT_EQ(a->calls, 2);
}

TEST(CachingCredentialsProvider, RefreshesFiveMinutesBeforeExpiry) {
  auto now = std::chrono::sys_days{std::chrono::year{2024} / 1 / 1} + std::chrono::hours{0};
  auto inner = std::make_unique<CountingProvider>();
  CountingProvider* counting = inner.get();
  counting->expires = now + std::chrono::minutes{15};
  std::chrono::system_clock::time_point clock = now;
  CachingCredentialsProvider cache(std::move(inner), [&] { return clock; });
  EXPECT_EQ((*cache.resolve())->access_key_id, "AKID1");
  clock = now + std::chrono::minutes{9};
  EXPECT_EQ((*cache.resolve())->access_key_id, "AKID1");
  clock = now + std::chrono::minutes{10} + std::chrono::seconds{1};
  EXPECT_EQ((*cache.resolve())->access_key_id, "AKID2");
}

}  // namespace
}  // namespace costwatch::aws
