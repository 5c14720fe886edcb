// The server section: where `run` and `serve` listen and the token they ask for.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/redact.h"
#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::Check;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Problems;

std::string WithServer(const std::string& server) {
  return std::string(testing::kMinimalSources) + testing::kMinimalSinks + server;
}

TEST(ConfigServer, WithoutTheSectionNothingIsServed) {
  auto result = Check(WithServer(""));
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_FALSE(result.config.server.has_value());
}

TEST(ConfigServer, AnEmptySectionServesOnTheDefaultAddress) {
  auto result = Check(WithServer("server:\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  ASSERT_TRUE(result.config.server.has_value());
  EXPECT_EQ(result.config.server->listen.host, "127.0.0.1");
  EXPECT_EQ(result.config.server->listen.port, kDefaultListenPort);
  EXPECT_EQ(result.config.server->token, "");
  EXPECT_THAT(Summarize(result.config), HasSubstr("server: http://127.0.0.1:8377/, no token\n"));
}

TEST(ConfigServer, ReadsListenAndATokenFromTheEnvironment) {
  auto result = Check(WithServer("server:\n  listen: \"[::1]:9000\"\n  token: ${TOKEN}\n"),
                      {{"TOKEN", "abcdef123456"}});
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_EQ(result.config.server->listen.host, "::1");
  EXPECT_EQ(result.config.server->listen.port, 9000);
  EXPECT_EQ(result.config.server->token, "abcdef123456");
  const std::string summary = Summarize(result.config);
  EXPECT_THAT(summary, HasSubstr("server: http://[::1]:9000/, bearer token <redacted>\n"));
  EXPECT_THAT(summary, Not(HasSubstr("abcdef123456")));
  EXPECT_EQ(Redacted(result.config).server->token, "<redacted>");
}

TEST(ConfigServer, ATokenWrittenInTheFileIsRedactedToo) {
  auto result = Check(WithServer("server: {listen: \"0.0.0.0:8377\", token: in-the-file}\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_THAT(Summarize(result.config), Not(HasSubstr("in-the-file")));
}

TEST(ConfigServer, ElsewhereWithoutATokenIsAllowedWithAWarning) {
  auto result = Check(WithServer("server:\n  listen: 0.0.0.0:8377\n"));
  ASSERT_TRUE(result.ok()) << Problems(result);
  EXPECT_THAT(Summarize(result.config),
              HasSubstr("server: http://0.0.0.0:8377/, no token (WARNING: not a loopback "
                        "address and no token"));
}

TEST(ConfigServer, BadValuesArePlacedAndNeverQuoteTheToken) {
  auto result =
      Check(WithServer("server:\n  listen: 127.0.0.1:http\n  token: \"two words\"\n"
                       "  tokn: x\n"));
  ASSERT_EQ(result.problems.size(), 3U) << Problems(result);
  const std::string text = Problems(result);
  EXPECT_THAT(text, HasSubstr("costwatch.yaml:7:11: server.listen: listen address "
                              "'127.0.0.1:http' has no valid port"));
  EXPECT_THAT(text, HasSubstr("costwatch.yaml:8:10: server.token must not contain spaces"));
  EXPECT_THAT(text, HasSubstr("unknown key 'tokn' in server (did you mean 'token'?)"));
  EXPECT_THAT(text, Not(HasSubstr("two words")));
}

TEST(ConfigServer, AMissingVariableIsNamed) {
  auto result = Check(WithServer("server:\n  token: ${NO_SUCH_TOKEN}\n"));
  ASSERT_EQ(result.problems.size(), 1U) << Problems(result);
  EXPECT_THAT(result.problems[0].message,
              HasSubstr("server.token: environment variable NO_SUCH_TOKEN is not set"));
}

}  // namespace
}  // namespace costwatch::config
