#include "util/secret_scrubber.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace costwatch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kSlackUrl =
    "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/XxXxXxXxXxXxXxXxXxXxXxXx";
constexpr std::string_view kSlackToken = "XxXxXxXxXxXxXxXxXxXxXxXx";

// Every secret form is gone, and nothing that starts one is left: no 6 characters in a row of it.
void ExpectNoTrace(const std::string& scrubbed, std::string_view secret) {
  for (size_t at = 0; at + 6 <= secret.size(); ++at) {
    EXPECT_THAT(scrubbed, Not(HasSubstr(std::string(secret.substr(at, 6)))))
        << "a trace of " << secret << " in: " << scrubbed;
  }
}

TEST(SecretScrubber, SlackUrlWithEscapedSlashes) {
  SecretScrubber scrubber;
  scrubber.AddSecretUrl(kSlackUrl);
  for (
      const std::string echo : {
          R"({"url":"https:\/\/hooks.slack.com\/services\/T0AAAAAAA\/B0BBBBBBB\/XxXxXxXxXxXxXxXxXxXxXxXx"})",
          R"({"url":"https:\u002f\u002fhooks.slack.com\u002Fservices\u002FT0AAAAAAA\u002FB0BBBBBBB\u002fXxXxXxXxXxXxXxXxXxXxXxXx"})",
          "got "
          "https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0AAAAAAA%2FB0BBBBBBB%"
          "2FXxXxXxXxXxXxXxXxXxXxXxXx",
          "got "
          "https%3a%2f%2fhooks.slack.com%2fservices%2fT0AAAAAAA%2fB0BBBBBBB%"
          "2fXxXxXxXxXxXxXxXxXxXxXxXx",
          "got https%253A%252F%252Fhooks.slack.com%252Fservices%252FT0AAAAAAA%252FB0BBBBBBB%252F"
          "XxXxXxXxXxXxXxXxXxXxXxXx",
          "&lt;https:&#x2F;&#x2F;hooks.slack.com&#47;services/T0AAAAAAA/B0BBBBBBB/"
          "XxXxXxXxXxXxXxXxXxXxXxXx&gt;",
          "POST /services/T0AAAAAAA/B0BBBBBBB/XxXxXxXxXxXxXxXxXxXxXxXx HTTP/1.1",
          "unknown token XxXxXxXxXxXxXxXxXxXxXxXx",
      }) {
    const std::string scrubbed = scrubber.Scrub(echo);
    EXPECT_THAT(scrubbed, HasSubstr("[redacted]")) << echo;
    ExpectNoTrace(scrubbed, kSlackToken);
    EXPECT_THAT(scrubbed, Not(HasSubstr("T0AAAAAAA"))) << scrubbed;
  }
}

TEST(SecretScrubber, OrdinaryTextIsLeftAlone) {
  SecretScrubber scrubber;
  scrubber.AddSecretUrl(kSlackUrl);
  scrubber.Add("Bearer s3cr3t-t0ken-value");
  const std::string text = "HTTP 404: no such service at https://example.com/other (try later)";
  EXPECT_EQ(scrubber.Scrub(text), text);
  EXPECT_EQ(scrubber.Scrub("100% done \\ %zz &nbsp; \\q"), "100% done \\ %zz &nbsp; \\q");
}

TEST(SecretScrubber, BareTokenWithoutItsScheme) {
  SecretScrubber scrubber;
  scrubber.Add("Bearer s3cr3t-t0ken-value");
  EXPECT_EQ(scrubber.Scrub("HTTP 401: bad token s3cr3t-t0ken-value"),
            "HTTP 401: bad token [redacted]");
  EXPECT_EQ(scrubber.Scrub("authorization: bearer s3cr3t-t0ken-value"),
            "authorization: bearer [redacted]");
  EXPECT_EQ(scrubber.Scrub("Authorization: Bearer s3cr3t-t0ken-value"),
            "Authorization: [redacted]");
}

TEST(SecretScrubber, BasicCredentialsDecoded) {
  SecretScrubber scrubber;
  scrubber.Add("Basic YWxpY2U6b3BlbiBzZXNhbWUh");  // alice:open sesame!
  EXPECT_EQ(scrubber.Scrub("user alice:open sesame! refused"), "user [redacted] refused");
  EXPECT_EQ(scrubber.Scrub("password open sesame! refused"), "password [redacted] refused");
  EXPECT_EQ(scrubber.Scrub("got YWxpY2U6b3BlbiBzZXNhbWUh"), "got [redacted]");
}

TEST(SecretScrubber, CutQuotesLeaveNoPrefix) {
  SecretScrubber scrubber;
  scrubber.Add("Bearer s3cr3t-t0ken-value");
  scrubber.AddSecretUrl(kSlackUrl);
  // The receiver cut its quote: at the end, before "...", before a closing quote.
  EXPECT_EQ(scrubber.Scrub("HTTP 500: Authorization: Bearer s3cr3t-t0"),
            "HTTP 500: Authorization: [redacted]");
  EXPECT_EQ(scrubber.Scrub("echo: s3cr3t-t0k..."), "echo: [redacted]...");
  EXPECT_EQ(scrubber.Scrub(R"({"echo":"POST /services/T0AAAAAAA/B0BB"})"),
            R"({"echo":"POST [redacted]"})");
  EXPECT_EQ(scrubber.Scrub("token XxXxXxX\xE2\x80\xA6"), "token [redacted]\xE2\x80\xA6");
  // Cut inside an escape: the decoded quote ends with the start of the secret.
  EXPECT_EQ(scrubber.Scrub(R"(POST \/services\/T0AAAAAAA\/B0BBBBBBB\/XxXx\u00)"),
            R"(POST [redacted]\u00)");
  EXPECT_EQ(scrubber.Scrub("POST %2Fservices%2FT0AAAAAAA%2FB0BBBBBBB%2FXxXxX%2"),
            "POST [redacted]%2");
  // A word that merely starts like the secret and goes on differently is not the secret.
  EXPECT_EQ(scrubber.Scrub("s3cr3tive things"), "s3cr3tive things");
}

TEST(SecretScrubber, ScrubsBeforeCutting) {
  SecretScrubber scrubber;
  scrubber.Add("Bearer s3cr3t-t0ken-value");
  const std::string body = std::string(190, 'x') + " Bearer s3cr3t-t0ken-value and more";
  const std::string cut = scrubber.ScrubAndCut(body, 200);
  EXPECT_THAT(cut, Not(HasSubstr("s3cr")));
  EXPECT_THAT(cut, Not(HasSubstr("t0ken")));
  EXPECT_TRUE(cut.ends_with("...")) << cut;
  EXPECT_LE(cut.size(), 203U);
  EXPECT_EQ(scrubber.ScrubAndCut("short", 200), "short");
  // A cut never splits a UTF-8 character.
  EXPECT_EQ(scrubber.ScrubAndCut("ab\xC3\xA9"
                                 "cdef",
                                 3),
            "ab...");
}

TEST(SecretScrubber, UrlParts) {
  SecretScrubber scrubber;
  scrubber.AddSecretUrl(
      "https://prod-00.westus.logic.azure.com:443/workflows/0123456789abcdef0123456789abcdef/"
      "triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
      "&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG");
  EXPECT_EQ(scrubber.Scrub("bad sig AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG"),
            "bad sig [redacted]");
  EXPECT_EQ(scrubber.Scrub("workflow 0123456789abcdef0123456789abcdef"), "workflow [redacted]");
  EXPECT_EQ(scrubber.Scrub("sp=/triggers/manual/run"), "sp=[redacted]");
  // Plain words of the path stay: they tell the reader which endpoint it was.
  EXPECT_EQ(scrubber.Scrub("no manual trigger"), "no manual trigger");

  SecretScrubber webhook;
  webhook.AddSecretUrl("http://127.0.0.1:8080/hooks/alarm-abc");
  EXPECT_EQ(webhook.Scrub("unknown hook alarm-abc"), "unknown hook [redacted]");
  SecretScrubber plain;
  plain.AddSecretUrl("https://alerts.example.com/api/events");
  EXPECT_EQ(plain.Scrub("3 events refused"), "3 events refused");
  EXPECT_EQ(plain.Scrub("POST /api/events refused"), "POST [redacted] refused");
}

TEST(SecretScrubber, UserInformationOfAnyUrl) {
  SecretScrubber scrubber;
  scrubber.AddUrlCredentials(
      "http://user:PASSWORD-1@ce.example.com/?api_key=k3y-v4lu3&page=12345678");
  EXPECT_EQ(scrubber.Scrub("refused user:PASSWORD-1 at ce.example.com"),
            "refused [redacted] at ce.example.com");
  EXPECT_EQ(scrubber.Scrub("password PASSWORD%2D1"), "password [redacted]");
  EXPECT_EQ(scrubber.Scrub("key k3y-v4lu3, page 12345678"), "key [redacted], page 12345678");
  // Host and path of such a URL are not secret.
  EXPECT_EQ(scrubber.Scrub("ce.example.com"), "ce.example.com");
}

TEST(SecretScrubber, SmtpPasswordAndItsBase64) {
  SecretScrubber scrubber;
  scrubber.AddPassword("mailer", "hunter2-password");
  EXPECT_EQ(scrubber.Scrub("535 bad hunter2-password"), "535 bad [redacted]");
  EXPECT_EQ(scrubber.Scrub("AUTH LOGIN aHVudGVyMi1wYXNzd29yZA=="), "AUTH LOGIN [redacted]");
  EXPECT_EQ(scrubber.Scrub("AUTH PLAIN AG1haWxlcgBodW50ZXIyLXBhc3N3b3Jk"), "AUTH PLAIN [redacted]");
}

TEST(SecretScrubber, ShortValuesAreNoSecrets) {
  SecretScrubber scrubber;
  scrubber.Add("yes");
  scrubber.Add("");
  EXPECT_TRUE(scrubber.empty());
  EXPECT_EQ(scrubber.Scrub("yes"), "yes");
}

TEST(SecretScrubber, LiteralsDeriveNothing) {
  SecretScrubber scrubber;
  scrubber.AddLiteral("https://recv.example.com/T0AAAAAAA/hook");
  EXPECT_EQ(scrubber.Scrub("at https://recv.example.com/T0AAAAAAA/hook"), "at [redacted]");
  EXPECT_EQ(scrubber.Scrub("T0AAAAAAA"), "T0AAAAAAA");
}

TEST(SecretScrubber, MergeKnowsBoth) {
  SecretScrubber a;
  a.Add("first-secret");
  SecretScrubber b;
  b.Add("second-secret");
  a.Merge(b);
  EXPECT_EQ(a.Scrub("first-secret second-secret"), "[redacted] [redacted]");
}

TEST(SecretScrubber, PythonReprAndJsonUnicode) {
  SecretScrubber scrubber;
  scrubber.Add("p\xC3\xA4ss/w0rd");  // "päss/w0rd"
  EXPECT_EQ(scrubber.Scrub(R"(b'p\xc3\xa4ss/w0rd')"), "b'[redacted]'");
  EXPECT_EQ(scrubber.Scrub(R"("p\u00e4ss\/w0rd")"), "\"[redacted]\"");
}

}  // namespace
}  // namespace costwatch
