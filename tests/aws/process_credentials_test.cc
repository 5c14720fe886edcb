#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using ::testing::Not;
using testing::TempDir;

const std::string kSecretStr(kSecret);
const std::string kTokenStr(kToken);

std::string ValidJson(std::string_view extra = "") {
  return R"({"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": ")" + kSecretStr +
         R"(", "SessionToken": ")" + kTokenStr + "\"" + std::string(extra) + "}";
}

class ProcessCredentialsTest : public ::testing::Test {
 protected:
  // A profile "p" whose credential_process is the given command line.
  Result<std::optional<Credentials>> Run(const std::string& command,
                                         ProcessCredentialsOptions options = {}) {
    auto config =
        SharedConfig::Parse("[profile p]\ncredential_process = " + command + "\n", std::nullopt);
    EXPECT_TRUE(config.ok());
    ProcessCredentialsProvider provider(*config, "p", options);
    return provider.resolve();
  }
  std::string RunScript(std::string_view body, ProcessCredentialsOptions options = {}) {
    const std::string script = dir_.Script("helper.sh", body);
    auto result = Run(script, options);
    EXPECT_FALSE(result.ok());
    std::string message = result ? "" : result.error().message;
    EXPECT_THAT(message, Not(HasSubstr(kSecretStr)));
    EXPECT_THAT(message, Not(HasSubstr(kTokenStr)));
    return message;
  }

  TempDir dir_;
};

TEST_F(ProcessCredentialsTest, ValidOutput) {
  dir_.Write("out.json",
             ValidJson(R"(, "Expiration": "2030-01-01T00:00:00Z", "AccountId": "123456789012")"));
  const std::string script = dir_.Script("helper.sh", "cat \"$(dirname \"$0\")/out.json\"");
  auto result = Run(script);
  ASSERT_TRUE(result.ok()) << result.error().message;
  ASSERT_TRUE(*result);
  const Credentials& credentials = **result;
  EXPECT_EQ(credentials.access_key_id, "AKIDPROC");
  EXPECT_EQ(credentials.secret_access_key, kSecret);
  EXPECT_EQ(credentials.session_token, kToken);
  ASSERT_TRUE(credentials.expiration);
  EXPECT_EQ(*credentials.expiration, std::chrono::sys_days{std::chrono::year{2030} / 1 / 1});
  EXPECT_EQ(credentials.provider, "credential_process of profile 'p'");
}

TEST_F(ProcessCredentialsTest, ArgumentsAreSplitLikeShlexAndNotExpandedByAShell) {
  const std::string script = dir_.Script(
      "args.sh", R"(printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}' "$1" "$2")");
  auto result = Run(script + R"( 'a b' "$HOME")");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ((*result)->access_key_id, "a b");
  EXPECT_EQ((*result)->secret_access_key, "$HOME");
  EXPECT_EQ((*result)->session_token, "");
  EXPECT_FALSE((*result)->expiration);
}

TEST_F(ProcessCredentialsTest, NoCredentialProcessMeansNothingToOffer) {
  auto config = SharedConfig::Parse("[profile p]\nregion = x\n", std::nullopt);
  ProcessCredentialsProvider provider(*config, "p");
  auto result = provider.resolve();
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(*result);
}

TEST_F(ProcessCredentialsTest, InvalidJson) {
  EXPECT_THAT(RunScript("echo '{\"Version\": 1, \"SecretAccessKey\": \"" + kSecretStr + "\"'"),
              HasSubstr("credential_process of profile 'p': the output is not valid JSON"));
}

TEST_F(ProcessCredentialsTest, VersionTwoAndMissingVersion) {
  EXPECT_THAT(RunScript(R"(echo '{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": ")" +
                        kSecretStr + "\"}'"),
              HasSubstr("the output has Version 2; only Version 1 is supported"));
  EXPECT_THAT(RunScript(R"(echo '{"AccessKeyId": "A", "SecretAccessKey": ")" + kSecretStr + "\"}'"),
              HasSubstr("the output has no \"Version\""));
  EXPECT_THAT(RunScript(R"(echo '{"Version": "1", "AccessKeyId": "A"}')"),
              HasSubstr("unsupported Version"));
}

TEST_F(ProcessCredentialsTest, ExitStatusShowsFirstStderrLineNotStdout) {
  const std::string message = RunScript("echo '" + ValidJson() +
                                        "'\necho 'token expired: run corp-login' >&2\n"
                                        "echo 'second line' >&2\nexit 3");
  EXPECT_THAT(message, HasSubstr("credential_process of profile 'p': "));
  EXPECT_THAT(message, HasSubstr("exited with status 3: token expired: run corp-login"));
  EXPECT_THAT(message, Not(HasSubstr("second line")));
  EXPECT_THAT(message, Not(HasSubstr("AKIDPROC")));
}

TEST_F(ProcessCredentialsTest, SecretsOnStderrAreRedacted) {
  const std::string message =
      RunScript("echo \"bad secret " + kSecretStr + " token " + kTokenStr + "\" >&2\nexit 1");
  EXPECT_THAT(message, HasSubstr("exited with status 1: bad secret <redacted> token <redacted>"));
}

TEST_F(ProcessCredentialsTest, SilentFailure) {
  EXPECT_THAT(RunScript("exit 1"), HasSubstr("exited with status 1 and printed nothing on stderr"));
}

TEST_F(ProcessCredentialsTest, KilledBySignal) {
  EXPECT_THAT(RunScript("kill -9 $$"), HasSubstr("was killed by signal 9"));
}

TEST_F(ProcessCredentialsTest, Timeout) {
  ProcessCredentialsOptions options;
  options.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(RunScript("exec sleep 30", options),
              HasSubstr("did not finish within 0 seconds and was stopped"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(ProcessCredentialsTest, TooMuchOutput) {
  ProcessCredentialsOptions options;
  options.max_output = 1000;
  EXPECT_THAT(RunScript("head -c 5000 /dev/zero | tr '\\0' x", options),
              HasSubstr("printed more than 1000 bytes"));
}

TEST_F(ProcessCredentialsTest, CommandProblems) {
  auto missing = Run(dir_.path() + "/no-such-tool --token " + kSecretStr);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("no-such-tool: No such file or directory"));
  EXPECT_THAT(missing.error().message, Not(HasSubstr(kSecretStr)));

  auto unclosed = Run("tool --token '" + kSecretStr);
  ASSERT_FALSE(unclosed.ok());
  EXPECT_THAT(unclosed.error().message, HasSubstr("cannot split the command into words"));
  EXPECT_THAT(unclosed.error().message, Not(HasSubstr(kSecretStr)));

  auto empty = Run("''");
  ASSERT_FALSE(empty.ok());
}

TEST(ParseCredentialProcessOutputTest, Rules) {
  EXPECT_TRUE(ParseCredentialProcessOutput(ValidJson()).ok());
  // Python's == 1 accepts 1.0; null SessionToken is absent.
  auto one_point_zero = ParseCredentialProcessOutput(
      R"({"Version": 1.0, "AccessKeyId": "A", "SecretAccessKey": "S", "SessionToken": null})");
  ASSERT_TRUE(one_point_zero.ok()) << one_point_zero.error().message;
  EXPECT_EQ(one_point_zero->session_token, "");

  const auto error = [](std::string_view json) {
    auto r = ParseCredentialProcessOutput(json);
    EXPECT_FALSE(r.ok()) << json;
    return r ? "" : r.error().message;
  };
  EXPECT_EQ(error(R"({"Version": 1, "SecretAccessKey": "S"})"), "the output has no AccessKeyId");
  EXPECT_EQ(error(R"({"Version": 1, "AccessKeyId": "A"})"), "the output has no SecretAccessKey");
  EXPECT_EQ(error(R"({"Version": 1, "AccessKeyId": 5, "SecretAccessKey": "S"})"),
            "AccessKeyId is not a string");
  EXPECT_THAT(
      error(R"({"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "x"})"),
      HasSubstr("Expiration in the output is not an RFC 3339 time"));
  EXPECT_EQ(error("[1]"), "the output is not a JSON object");
  EXPECT_THAT(error(""), HasSubstr("not valid JSON"));
}

// --- credential_process in the chain -----------------------------------------------------------

TEST_F(ProcessCredentialsTest, ChainOrderCredentialsFileThenProcessThenConfigFile) {
  const std::string script = dir_.Script(
      "ok.sh", R"(echo '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s"}')");
  MapEnvironment env;
  const auto first = [&](std::string config, std::string credentials) {
    auto shared = SharedConfig::Parse(config, credentials);
    EXPECT_TRUE(shared.ok());
    auto chain = MakeDefaultCredentialsChain(env, *shared);
    EXPECT_TRUE(chain.ok());
    auto credentials_result = (*chain)->resolve();
    EXPECT_TRUE(credentials_result.ok())
        << (credentials_result ? "" : credentials_result.error().message);
    return credentials_result && *credentials_result ? (*credentials_result)->access_key_id : "";
  };
  const std::string process = "credential_process = " + script + "\n";
  const std::string config_keys = "aws_access_key_id = AKIDCONFIG\naws_secret_access_key = s\n";
  const std::string creds_keys = "aws_access_key_id = AKIDCREDS\naws_secret_access_key = s\n";
  EXPECT_EQ(first("[default]\n" + process + config_keys, "[default]\n" + creds_keys), "AKIDCREDS");
  EXPECT_EQ(first("[default]\n" + process + config_keys, ""), "AKIDPROC");
  EXPECT_EQ(first("[default]\n" + config_keys, "[default]\n" + process), "AKIDPROC");
  EXPECT_EQ(first("[default]\n" + config_keys, ""), "AKIDCONFIG");
}

// Every way resolving can fail, each with the secret somewhere in its input: no message may
// contain it.
TEST_F(ProcessCredentialsTest, NoErrorMessageContainsTheSecret) {
  const std::string secret_line = "aws_secret_access_key = " + kSecretStr + "\n";
  struct Case {
    std::string config;
    std::string credentials;
    std::map<std::string, std::string, std::less<>> env;
    std::optional<std::string> flag;
  };
  const std::string fail_script =
      dir_.Script("fail.sh", "echo '" + ValidJson() + "'\necho \"" + kSecretStr + "\" >&2\nexit 1");
  const std::string bad_json =
      dir_.Script("bad.sh", "echo '{\"SecretAccessKey\": \"" + kSecretStr + "\", oops'");
  const std::string v2 = dir_.Script(
      "v2.sh", "echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"" +
                   kSecretStr + "\"}'");
  const std::vector<Case> cases = {
      // parse errors in either file
      {"[default]\n" + kSecretStr + "\n", "", {}, {}},
      {"", "[default]\n" + kSecretStr + "\n", {}, {}},
      {"", secret_line, {}, {}},
      {"", "[default]\n" + secret_line + secret_line, {}, {}},
      {"", "[default]\ns3 =\n  " + kSecretStr + "\n", {}, {}},
      // partial keys
      {"", "[default]\naws_access_key_id = A\n", {}, {}},
      {"", "[default]\naws_access_key_id =\n" + secret_line, {}, {}},
      {"[default]\naws_access_key_id =\n" + secret_line, "", {}, {}},
      {"", "", {{"AWS_ACCESS_KEY_ID", "A"}, {"AWS_SESSION_TOKEN", kTokenStr}}, {}},
      {"",
       "",
       {{"AWS_ACCESS_KEY_ID", "A"},
        {"AWS_SECRET_ACCESS_KEY", kSecretStr},
        {"AWS_CREDENTIAL_EXPIRATION", "x" + kSecretStr}},
       {}},
      // credential_process failures
      {"[default]\ncredential_process = " + fail_script + "\n", "", {}, {}},
      {"[default]\ncredential_process = " + bad_json + "\n", "", {}, {}},
      {"[default]\ncredential_process = " + v2 + "\n", "", {}, {}},
      {"[default]\ncredential_process = /nonexistent/x " + kSecretStr + "\n", "", {}, {}},
      {"[default]\ncredential_process = x '" + kSecretStr + "\n", "", {}, {}},
      // nothing found / unknown profile, with secrets elsewhere in the environment
      {"", "", {{"AWS_SECRET_ACCESS_KEY", kSecretStr}}, {}},
      {"", "[dev]\n" + secret_line, {{"AWS_SECRET_ACCESS_KEY", kSecretStr}}, "nope"},
  };
  for (const Case& c : cases) {
    dir_.Write("home/.aws/config", c.config);
    dir_.Write("home/.aws/credentials", c.credentials);
    MapEnvironment env(c.env);
    env.set("HOME", dir_.path() + "/home");
    std::string message;
    auto config = SharedConfig::Load(env);
    if (!config) {
      message = config.error().message;
    } else {
      auto chain = MakeDefaultCredentialsChain(env, *config, {c.flag, {}});
      if (!chain) {
        message = chain.error().message;
      } else {
        auto credentials = (*chain)->resolve();
        ASSERT_FALSE(credentials.ok()) << c.config << " / " << c.credentials;
        message = credentials.error().message;
      }
    }
    EXPECT_FALSE(message.empty());
    EXPECT_THAT(message, Not(HasSubstr(kSecretStr))) << c.config << " / " << c.credentials;
    EXPECT_THAT(message, Not(HasSubstr(kTokenStr))) << c.config << " / " << c.credentials;
  }
}

}  // namespace
}  // namespace costwatch::aws
