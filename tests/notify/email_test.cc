// The e-mail encodings and message, checked by decoding them again here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "notify/email/email_message.h"
#include "notify/email/email_notifier.h"
#include "notify/email/libcurl.h"
#include "notify/email/mime.h"
#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleNotification;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 2045 §6.7 decoding; fails the test on anything a strict decoder would refuse.
std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  size_t line_start = 0;
  while (line_start < text.size()) {
    size_t end = text.find("\r\n", line_start);
    EXPECT_NE(end, std::string_view::npos) << "every line ends in CRLF";
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(line_start, end - line_start);
    EXPECT_LE(line.size(), 76U) << line;
    EXPECT_EQ(line.find('\n'), std::string_view::npos);
    bool soft = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto byte = static_cast<unsigned char>(line[i]);
      EXPECT_TRUE(byte == '\t' || (byte >= 0x20 && byte <= 0x7E)) << "raw byte " << int{byte};
      if (line[i] != '=') {
        out += line[i];
        continue;
      }
      if (i + 1 == line.size()) {
        soft = true;
        break;
      }
      EXPECT_LT(i + 2, line.size() + 0) << "truncated escape";
      const int high = HexValue(line[i + 1]);
      const int low = HexValue(line[i + 2]);
      EXPECT_TRUE(high >= 0 && low >= 0) << line;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (!line.empty() && !soft) {
      EXPECT_NE(line.back(), ' ') << "trailing space";
      EXPECT_NE(line.back(), '\t') << "trailing tab";
    }
    if (!soft) out += '\n';
    line_start = end + 2;
  }
  return out;
}

std::string DecodeBase64(std::string_view text) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=' || c == '\r' || c == '\n') continue;
    const size_t value = kAlphabet.find(c);
    EXPECT_NE(value, std::string_view::npos) << c;
    bits = (bits << 6) | static_cast<unsigned>(value);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

// Undoes EncodeHeaderText: unfolds and decodes each =?UTF-8?B?...?= word.
std::string DecodeHeader(std::string_view text) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    if (text.substr(at).starts_with("\r\n ")) {
      at += 3;
      continue;
    }
    if (!text.substr(at).starts_with("=?UTF-8?B?")) {
      out += text[at++];
      continue;
    }
    const size_t end = text.find("?=", at + 10);
    EXPECT_NE(end, std::string_view::npos);
    EXPECT_LE(end + 2 - at, 75U) << "an encoded word is at most 75 characters";
    out += DecodeBase64(text.substr(at + 10, end - at - 10));
    at = end + 2;
  }
  return out;
}

TEST(Mime, QuotedPrintableRoundTrips) {
  const std::string text =
      "Amazon Relational Database Service \u2014 caf\u00e9 = 3.20 USD\n"
      ".starts with a dot\nFrom the start\ntrailing space \ntrailing tab\t\n" +
      std::string(200, 'a') + "\n" + std::string(100, '=') + "\n" +
      "\u65e5\u672c\u8a9e\U0001F600 " + std::string(30, '\xc3') + "\n\ttabbed\tline\n";
  const std::string encoded = mime::QuotedPrintable(text);
  EXPECT_EQ(DecodeQuotedPrintable(encoded), text);
  EXPECT_THAT(encoded, HasSubstr("=2Estarts with a dot"));
  EXPECT_THAT(encoded, HasSubstr("=46rom the start"));
  EXPECT_THAT(encoded, HasSubstr("caf=C3=A9"));
  EXPECT_EQ(encoded.find("=_"), std::string::npos) << "so =_ boundaries are safe";
  // Lines of every length around the limit.
  for (size_t length = 70; length < 160; ++length) {
    for (const char* fill : {"a", "=", " ", "\u00e9"}) {
      std::string line;
      while (line.size() < length) line += fill;
      EXPECT_EQ(DecodeQuotedPrintable(mime::QuotedPrintable(line + "\n")), line + "\n")
          << length << " " << fill;
    }
  }
}

TEST(Mime, Base64Lines) {
  EXPECT_EQ(mime::Base64Lines(""), "");
  EXPECT_EQ(mime::Base64Lines("f"), "Zg==\r\n");
  EXPECT_EQ(mime::Base64Lines("fo"), "Zm8=\r\n");
  EXPECT_EQ(mime::Base64Lines("foobar"), "Zm9vYmFy\r\n");
  const std::string bytes(200, '\xfe');
  const std::string encoded = mime::Base64Lines(bytes);
  EXPECT_EQ(encoded.substr(0, 78).find("\r\n"), 76U);
  EXPECT_EQ(DecodeBase64(encoded), bytes);
}

TEST(Mime, HeaderTextIsEncodedOnlyWhenItMustBe) {
  EXPECT_EQ(mime::EncodeHeaderText("ALARM: monthly 12.40 USD >= 10 USD"),
            "ALARM: monthly 12.40 USD >= 10 USD");
  EXPECT_EQ(mime::EncodeHeaderText("two\r\nlines"), "two  lines") << "no header injection";
  const std::string subject = "ALARM: Amazon Relational Database Service \u2014 caf\u00e9 " +
                              std::string(40, 'x') + " \u65e5\u672c\u8a9e\U0001F600";
  const std::string encoded = mime::EncodeHeaderText(subject);
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?"));
  EXPECT_THAT(encoded, HasSubstr("?=\r\n =?UTF-8?B?")) << "long subjects fold";
  EXPECT_EQ(DecodeHeader(encoded), subject);
  // Each word holds whole characters: a word decodes to valid UTF-8 by itself.
  EXPECT_EQ(DecodeHeader(mime::EncodeHeaderText("=?not a word?=")), "=?not a word?=");
}

TEST(Mime, Rfc5322Date) {
  const auto when = std::chrono::sys_days(std::chrono::year(2026) / 11 / 29) +
                    std::chrono::hours(16) + std::chrono::minutes(5) + std::chrono::seconds(9);
  EXPECT_EQ(mime::Rfc5322Date(when), "Sun, 29 Nov 2026 16:05:09 +0000");
}

// The parts of a multipart body, split at the boundary.
std::vector<std::string> Parts(const std::string& message, const std::string& boundary) {
  std::vector<std::string> parts;
  const std::string delimiter = "\r\n--" + boundary;
  size_t at = message.find("--" + boundary + "\r\n");
  EXPECT_NE(at, std::string::npos);
  at += boundary.size() + 4;
  while (true) {
    const size_t next = message.find(delimiter, at);
    EXPECT_NE(next, std::string::npos);
    if (next == std::string::npos) break;
    parts.push_back(message.substr(at, next - at));
    at = next + delimiter.size();
    if (message.compare(at, 4, "--\r\n") == 0) {
      EXPECT_EQ(at + 4, message.size()) << "the close delimiter ends the message";
      break;
    }
    EXPECT_EQ(message.compare(at, 2, "\r\n"), 0);
    at += 2;
  }
  return parts;
}

// A header's value, unfolded lines joined as they are ("\r\n " kept).
std::string HeaderOf(const std::string& message, const std::string& name) {
  const std::string headers = "\r\n" + message.substr(0, message.find("\r\n\r\n") + 2);
  const size_t at = headers.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  const size_t start = at + 2 + name.size() + 2;
  size_t end = headers.find("\r\n", start);
  while (headers.compare(end, 3, "\r\n ") == 0) end = headers.find("\r\n", end + 3);
  return headers.substr(start, end - start);
}

TEST(EmailMessage, MultipartAlternativeWithEncodedParts) {
  Notification n = SampleNotification();
  n.title = "ALARM: Amazon Relational Database Service \u2014 caf\u00e9 over 10 USD";
  const auto now = std::chrono::sys_days(std::chrono::year(2026) / 11 / 29) + std::chrono::hours(1);
  const std::string message =
      RenderEmail(n, {"costwatch@example.com", {"a@example.com", "b@example.org"}}, now);

  const std::string headers = message.substr(0, message.find("\r\n\r\n"));
  EXPECT_EQ(HeaderOf(message, "From"), "costwatch <costwatch@example.com>");
  EXPECT_EQ(HeaderOf(message, "To"), "a@example.com, b@example.org");
  EXPECT_EQ(DecodeHeader(HeaderOf(message, "Subject")), n.title);
  EXPECT_EQ(HeaderOf(message, "Date"), "Sun, 29 Nov 2026 01:00:00 +0000");
  EXPECT_EQ(HeaderOf(message, "Message-ID"), "<" + n.id + "@example.com>");
  EXPECT_EQ(HeaderOf(message, "MIME-Version"), "1.0");
  for (size_t at = 0; at < headers.size();) {
    const size_t end = std::min(headers.find("\r\n", at), headers.size());
    EXPECT_LE(end - at, 78U) << headers.substr(at, end - at);
    for (size_t i = at; i < end; ++i) EXPECT_LT(static_cast<unsigned char>(headers[i]), 0x80);
    at = end + 2;
  }
  std::string content_type = HeaderOf(message, "Content-Type");
  content_type.erase(content_type.find("\r\n"), 2);  // unfolded
  ASSERT_THAT(content_type, HasSubstr("multipart/alternative; boundary=\""));
  const std::string boundary = content_type.substr(
      content_type.find('"') + 1, content_type.rfind('"') - content_type.find('"') - 1);
  const auto parts = Parts(message, boundary);
  ASSERT_EQ(parts.size(), 2U);
  const auto body_of = [](const std::string& part) {
    EXPECT_THAT(part, HasSubstr("Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
    return DecodeQuotedPrintable(part.substr(part.find("\r\n\r\n") + 4));
  };
  EXPECT_TRUE(parts[0].starts_with("Content-Type: text/plain; charset=utf-8\r\n"));
  EXPECT_TRUE(parts[1].starts_with("Content-Type: text/html; charset=utf-8\r\n"));
  const std::string text = body_of(parts[0]);
  const std::string html = body_of(parts[1]);
  EXPECT_EQ(text, EmailPlainText(n));
  EXPECT_EQ(html, EmailHtml(n));
  for (const char* expected :
       {"Amount: 12.40 USD", "Threshold: 10 USD", "Period: 2026-11-01 to 2026-11-30",
        "Forecast: 15.75 USD", "Top services:",
        "Amazon Relational Database Service \u2014 caf\u00e9: 3.20 USD", "Tab\tand\nnewline"}) {
    EXPECT_THAT(text, HasSubstr(expected));
  }
  EXPECT_THAT(html, HasSubstr("threshold 10 USD &lt;&quot;&amp;&#39;&gt;."));
  EXPECT_THAT(html, HasSubstr("<td>15.75 USD</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<\"&'>")));
}

TEST(EmailMessage, TestNotificationsSayTheyAreTests) {
  Notification n = SampleNotification();
  n.test = true;
  EXPECT_EQ(EmailSubject(n), "[TEST] " + n.title);
  EXPECT_THAT(EmailPlainText(n), HasSubstr("test notification"));
  // costwatch alarm test marks the title itself: once is enough.
  n.title = "[TEST] " + n.title;
  EXPECT_EQ(EmailSubject(n), n.title);
}

TEST(LibCurl, AMissingLibraryIsNamedWithWhatToInstall) {
  const auto missing = OpenLibCurl("libcurl-absent.so.4");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("cannot load libcurl-absent.so.4 for SMTP"));
  EXPECT_THAT(missing.error().message, HasSubstr("install Debian's libcurl4"));
}

TEST(LibCurl, ALibraryThatIsNotLibcurlIsRefused) {
  const auto zlib = OpenLibCurl("libz.so.1");
  ASSERT_FALSE(zlib.ok());
  EXPECT_THAT(zlib.error().message, HasSubstr("libz.so.1 is not a libcurl"));
}

TEST(LibCurl, TheSystemsIsOpenedOnceAndWorks) {
  const auto first = SystemLibCurl();
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto second = SystemLibCurl();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  const LibCurl& curl = **first;
  CURL* handle = curl.easy_init();
  ASSERT_NE(handle, nullptr);
  EXPECT_EQ(curl.easy_setopt(handle, CURLOPT_URL, "smtp://127.0.0.1:1"), CURLE_OK);
  EXPECT_STREQ(curl.easy_strerror(CURLE_LOGIN_DENIED), "Login denied");
  curl.easy_cleanup(handle);
}

TEST(EmailNotifier, SmtpRepliesToOutcomes) {
  EXPECT_EQ(ClassifySmtpFailure(0), Outcome::kRetry);
  EXPECT_EQ(ClassifySmtpFailure(421), Outcome::kRetry);
  EXPECT_EQ(ClassifySmtpFailure(451), Outcome::kRetry);
  EXPECT_EQ(ClassifySmtpFailure(550), Outcome::kRejected);
  EXPECT_EQ(ClassifySmtpFailure(535), Outcome::kRejected);
}

TEST(EmailNotifier, CreateChecksTheOptionsWithoutQuotingSecrets) {
  EmailOptions good;
  good.smtp_url = "smtp://127.0.0.1:2525";
  good.username = "user";
  good.password = "hunter2-password";
  good.from = "costwatch@example.com";
  good.to = {"ops@example.com"};
  EXPECT_TRUE(EmailNotifier::Create("mail", good).ok());
  const auto error = [](EmailOptions options) {
    auto made = EmailNotifier::Create("mail", std::move(options));
    return made.ok() ? std::string("(made)") : made.error().message;
  };
  EmailOptions bad = good;
  bad.smtp_url = "http://127.0.0.1";
  EXPECT_THAT(error(bad), HasSubstr("smtp:// or smtps://"));
  bad.smtp_url = "smtp://user:hunter2-password@127.0.0.1";
  EXPECT_THAT(error(bad), HasSubstr("user information"));
  EXPECT_THAT(error(bad), Not(HasSubstr("hunter2")));
  bad = good;
  bad.to = {};
  EXPECT_THAT(error(bad), HasSubstr("at least one address"));
  bad.to = {"a@b.c>\r\nRCPT TO:<evil@x.y"};
  EXPECT_THAT(error(bad), HasSubstr("not like a@b.c"));
  bad = good;
  bad.username.clear();
  EXPECT_THAT(error(bad), HasSubstr("password needs username"));
}

}  // namespace
}  // namespace costwatch::notify
