#include "http/proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

namespace costwatch::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProxyEnvironment Read(const std::map<std::string, std::string>& variables) {
  return ReadProxyEnvironment([&](const char* name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  });
}

TEST(ProxyEnvironmentTest, HttpsUsesEitherCaseAndLowercaseWins) {
  EXPECT_EQ(Read({{"HTTPS_PROXY", "http://upper:3128"}}).https_proxy, "http://upper:3128");
  EXPECT_EQ(Read({{"https_proxy", "http://lower:3128"}, {"HTTPS_PROXY", "http://upper:3128"}})
                .https_proxy,
            "http://lower:3128");
  // Set but empty still wins: the user switched the proxy off for this process.
  EXPECT_EQ(Read({{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:3128"}}).https_proxy, "");
}

TEST(ProxyEnvironmentTest, UppercaseHttpProxyIsIgnored) {
  // httpoxy: a CGI server puts a request's "Proxy:" header into HTTP_PROXY.
  EXPECT_EQ(Read({{"HTTP_PROXY", "http://attacker:80"}}).http_proxy, "");
  EXPECT_EQ(Read({{"http_proxy", "http://proxy:3128"}}).http_proxy, "http://proxy:3128");
}

TEST(ProxyEnvironmentTest, NoProxyAndAllProxyUseEitherCase) {
  EXPECT_EQ(Read({{"NO_PROXY", "internal"}}).no_proxy, "internal");
  EXPECT_EQ(Read({{"no_proxy", "a"}, {"NO_PROXY", "b"}}).no_proxy, "a");
  EXPECT_EQ(Read({{"ALL_PROXY", "http://all:1"}}).all_proxy, "http://all:1");
}

TEST(ProxyUrlForTest, ChoosesTheSchemesVariableThenAllProxy) {
  const ProxyEnvironment environment{.https_proxy = "http://tls-proxy:3128",
                                     .http_proxy = "http://plain-proxy:3128",
                                     .all_proxy = "http://all:3128",
                                     .no_proxy = "direct.example.com"};
  EXPECT_EQ(ProxyUrlFor(environment, "https", "ce.us-east-1.amazonaws.com"),
            "http://tls-proxy:3128");
  EXPECT_EQ(ProxyUrlFor(environment, "http", "receiver.local"), "http://plain-proxy:3128");
  EXPECT_EQ(ProxyUrlFor(environment, "https", "direct.example.com"), "");
  ProxyEnvironment only_all;
  only_all.all_proxy = "http://all:3128";
  EXPECT_EQ(ProxyUrlFor(only_all, "http", "x"), "http://all:3128");
  EXPECT_EQ(ProxyUrlFor({}, "https", "x"), "");
}

TEST(NoProxyMatchesTest, HostNamesAndDomainSuffixes) {
  EXPECT_TRUE(NoProxyMatches("example.com", "example.com"));
  EXPECT_TRUE(NoProxyMatches("example.com", "api.example.com"));
  EXPECT_TRUE(NoProxyMatches(".example.com", "api.example.com"));
  EXPECT_TRUE(NoProxyMatches(".example.com", "example.com"));
  EXPECT_TRUE(NoProxyMatches("EXAMPLE.com", "Api.Example.COM"));
  EXPECT_FALSE(NoProxyMatches("example.com", "badexample.com"));
  EXPECT_FALSE(NoProxyMatches("api.example.com", "example.com"));
  EXPECT_FALSE(NoProxyMatches("", "example.com"));
}

TEST(NoProxyMatchesTest, ListsSpacesPortsAndTheWildcard) {
  EXPECT_TRUE(NoProxyMatches("localhost, internal.corp ,example.com", "example.com"));
  EXPECT_TRUE(NoProxyMatches("localhost, internal.corp ,example.com", "x.internal.corp"));
  EXPECT_TRUE(NoProxyMatches("example.com:8443", "example.com"));
  EXPECT_TRUE(NoProxyMatches("*", "anything.at.all"));
  EXPECT_TRUE(NoProxyMatches(" * ", "anything.at.all"));
  // "*" is a wildcard only alone; in a list it matches nothing.
  EXPECT_FALSE(NoProxyMatches("other,*", "anything.at.all"));
  EXPECT_FALSE(NoProxyMatches(",,", "example.com"));
}

TEST(NoProxyMatchesTest, IpLiteralsCompareExactly) {
  EXPECT_TRUE(NoProxyMatches("127.0.0.1", "127.0.0.1"));
  EXPECT_TRUE(NoProxyMatches("127.0.0.1:8080", "127.0.0.1"));
  EXPECT_FALSE(NoProxyMatches("0.0.1", "127.0.0.1"));
  EXPECT_FALSE(NoProxyMatches("127.0.0.1", "127.0.0.12"));
  EXPECT_TRUE(NoProxyMatches("::1", "::1"));
  EXPECT_TRUE(NoProxyMatches("[::1]:8080", "[::1]"));
  EXPECT_FALSE(NoProxyMatches("::1", "::2"));
}

TEST(ParseProxyUrlTest, HostPortAndDefaults) {
  auto proxy = ParseProxyUrl("http://proxy.corp:3128/");
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  EXPECT_EQ(proxy->host, "proxy.corp");
  EXPECT_EQ(proxy->port, 3128);
  EXPECT_EQ(proxy->username, "");

  proxy = ParseProxyUrl("proxy.corp");
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  EXPECT_EQ(proxy->host, "proxy.corp");
  EXPECT_EQ(proxy->port, 1080);

  proxy = ParseProxyUrl("http://[::1]:8080");
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  EXPECT_EQ(proxy->host, "::1");
  EXPECT_EQ(proxy->port, 8080);
}

TEST(ParseProxyUrlTest, CredentialsArePercentDecoded) {
  auto proxy = ParseProxyUrl("http://svc%40corp:p%3Ass@word@proxy:3128");
  ASSERT_TRUE(proxy.ok()) << proxy.error().message;
  EXPECT_EQ(proxy->username, "svc@corp");
  EXPECT_EQ(proxy->password, "p:ss@word");
  EXPECT_EQ(proxy->host, "proxy");
  EXPECT_EQ(proxy->port, 3128);
}

TEST(ParseProxyUrlTest, ErrorsNeverQuoteTheCredentials) {
  auto proxy = ParseProxyUrl("socks5://user:hunter2@proxy:1080");
  ASSERT_FALSE(proxy.ok());
  EXPECT_THAT(proxy.error().message, HasSubstr("only http:// proxies"));
  EXPECT_THAT(proxy.error().message, Not(HasSubstr("hunter2")));

  proxy = ParseProxyUrl("http://user:hunter2@proxy:99999");
  ASSERT_FALSE(proxy.ok());
  EXPECT_THAT(proxy.error().message, HasSubstr("port"));
  EXPECT_THAT(proxy.error().message, Not(HasSubstr("hunter2")));

  EXPECT_FALSE(ParseProxyUrl("http://user:pw@").ok());
}

}  // namespace
}  // namespace costwatch::http
