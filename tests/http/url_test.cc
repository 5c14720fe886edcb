#include "http/url.h"

#include <gtest/gtest.h>

namespace costwatch::http {
namespace {

TEST(ParseUrl, SplitsAnAwsEndpoint) {
  auto url = ParseUrl("https://ce.us-east-1.amazonaws.com");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "ce.us-east-1.amazonaws.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->path, "/");
  EXPECT_EQ(url->authority(), "ce.us-east-1.amazonaws.com");
}

TEST(ParseUrl, KeepsPortPathAndQuery) {
  auto url = ParseUrl("http://127.0.0.1:8123/a/b?x=1&y=2#frag");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->port, 8123);
  EXPECT_EQ(url->path, "/a/b");
  EXPECT_EQ(url->query, "x=1&y=2");
  EXPECT_EQ(url->authority(), "127.0.0.1:8123");
}

TEST(ParseUrl, DefaultPortIsLeftOutOfTheAuthority) {
  EXPECT_EQ(ParseUrl("https://example.com:443/")->authority(), "example.com");
  EXPECT_EQ(ParseUrl("HTTP://example.com:80")->authority(), "example.com");
}

TEST(ParseUrl, HandlesIpv6Literals) {
  auto url = ParseUrl("http://[::1]:9000/");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->authority(), "[::1]:9000");
}

TEST(ParseUrl, RefusesWhatIsNotAnHttpUrl) {
  for (const char* text :
       {"ce.us-east-1.amazonaws.com", "ftp://x", "http://", "http://:80", "http://host:0",
        "http://host:99999", "http://host:12ab", "http://[::1/"}) {
    auto url = ParseUrl(text);
    EXPECT_FALSE(url) << text;
    if (!url) {
      EXPECT_NE(url.error().message.find(text), std::string::npos);
    }
  }
}

TEST(ParseUrl, NeverEchoesAPasswordInTheUrl) {
  auto url = ParseUrl("http://user:s3cr3t@host/");
  ASSERT_FALSE(url);
  EXPECT_EQ(url.error().message.find("s3cr3t"), std::string::npos);
}

TEST(ParseUrl, NeverEchoesAPasswordInABadUrl) {
  // Refused for its scheme or port, before the user information is looked at.
  for (const char* text : {"ftp://user:s3cr3t@host/", "http://user:s3cr3t@host:99999/"}) {
    auto url = ParseUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().message.find("s3cr3t"), std::string::npos) << url.error().message;
  }
}

TEST(WithoutUserInfo, BlanksUserAndPasswordOnly) {
  EXPECT_EQ(WithoutUserInfo("http://user:PASSWORD@host:8080/a@b?c=d@e"),
            "http://<redacted>@host:8080/a@b?c=d@e");
  EXPECT_EQ(WithoutUserInfo("https://host/a@b"), "https://host/a@b");
  EXPECT_EQ(WithoutUserInfo("not a url"), "not a url");
  EXPECT_TRUE(HasUserInfo("http://u@h/"));
  EXPECT_FALSE(HasUserInfo("http://h/u@x"));
}

}  // namespace
}  // namespace costwatch::http
