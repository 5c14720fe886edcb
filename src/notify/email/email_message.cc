#include "notify/email/email_message.h"

#include <cctype>

#include "notify/digest_text.h"
#include "notify/email/mime.h"
#include "notify/notification_text.h"

namespace costwatch::notify {
namespace {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Letters, digits and '-' of `text`: safe in a boundary and a Message-ID.
std::string Token(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-') out += c;
  }
  return out;
}

std::string DomainOf(const std::string& address) {
  const size_t at = address.rfind('@');
  return at == std::string::npos ? "costwatch.invalid" : address.substr(at + 1);
}

std::string Money(const Notification& n, const std::string& amount) {
  return n.unit.empty() ? amount : amount + " " + n.unit;
}

}  // namespace

std::string EmailSubject(const Notification& n) {
  const std::string& title = n.title.empty() ? n.rule : n.title;
  // `costwatch alarm test` puts the mark in the title already.
  return n.test && !title.starts_with("[TEST] ") ? "[TEST] " + title : title;
}

std::string EmailPlainText(const Notification& n) {
  std::string out;
  if (const std::string preamble = Preamble(n); !preamble.empty()) out += preamble + "\n\n";
  out += (n.title.empty() ? n.rule : n.title) + "\n\n";
  if (!n.reason.empty()) out += n.reason + "\n\n";
  for (const auto& fact : Facts(n)) out += fact.label + ": " + fact.value + "\n";
  if (!n.top.empty()) {
    out += "\n" + TopHeading(n) + ":\n";
    for (const auto& contributor : n.top) {
      out += "  - " + contributor.name + ": " + Money(n, contributor.amount) + "\n";
    }
  }
  // "-- " is the signature separator mail clients recognise.
  out += "\n-- \n" + Footer(n) + "\n";
  return out;
}

std::string EmailHtml(const Notification& n) {
  std::string out = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>" +
                    HtmlEscape(EmailSubject(n)) +
                    "</title></head>\n<body style=\"font-family: sans-serif\">\n";
  if (const std::string preamble = Preamble(n); !preamble.empty())
    out += "<p><strong>" + HtmlEscape(preamble) + "</strong></p>\n";
  out += "<h2>" + HtmlEscape(n.title.empty() ? n.rule : n.title) + "</h2>\n";
  if (!n.reason.empty()) out += "<p>" + HtmlEscape(n.reason) + "</p>\n";
  out += "<table>\n";
  for (const auto& fact : Facts(n)) {
    out += "<tr><th align=\"left\">" + HtmlEscape(fact.label) + "</th><td>" +
           HtmlEscape(fact.value) + "</td></tr>\n";
  }
  out += "</table>\n";
  if (!n.top.empty()) {
    out += "<h3>" + HtmlEscape(TopHeading(n)) + "</h3>\n<table>\n";
    for (const auto& contributor : n.top) {
      out += "<tr><td>" + HtmlEscape(contributor.name) + "</td><td align=\"right\">" +
             HtmlEscape(Money(n, contributor.amount)) + "</td></tr>\n";
    }
    out += "</table>\n";
  }
  out += "<p style=\"color: #666; font-size: small\">" + HtmlEscape(Footer(n)) + "</p>\n";
  out += "</body>\n</html>\n";
  return out;
}

namespace {

// The envelope both kinds of message share: headers and the two quoted-printable parts.
std::string Compose(const std::string& raw_id, const std::string& subject, const std::string& plain,
                    const std::string& html, const EmailAddresses& addresses,
                    std::chrono::system_clock::time_point now) {
  // Quoted-printable never writes "=_" (every '=' starts "=XX" or a soft break), so a boundary
  // starting with it cannot occur in either part.
  const std::string id = Token(raw_id);
  const std::string boundary = "=_costwatch_" + (id.empty() ? "alternative" : id);
  std::string to;
  for (const auto& address : addresses.to) to += (to.empty() ? "" : ", ") + address;

  std::string out;
  out += "From: costwatch <" + addresses.from + ">\r\n";
  out += "To: " + to + "\r\n";
  out += "Subject: " + mime::EncodeHeaderText(subject, 9) + "\r\n";
  out += "Date: " + mime::Rfc5322Date(now) + "\r\n";
  out += "Message-ID: <" + (id.empty() ? "notification" : id) + "@" + DomainOf(addresses.from) +
         ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834: an automatic message; vacation responders must not answer it.
  out += "Auto-Submitted: auto-generated\r\n";
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += mime::QuotedPrintable(plain);
  out += "\r\n--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += mime::QuotedPrintable(html);
  out += "\r\n--" + boundary + "--\r\n";
  return out;
}

void AppendFactTable(std::string& out, const std::vector<Fact>& facts, bool amounts_right) {
  out += "<table>\n";
  for (const auto& fact : facts) {
    out += amounts_right ? "<tr><td>" : "<tr><th align=\"left\">";
    out += HtmlEscape(fact.label);
    out += amounts_right ? "</td><td align=\"right\">" : "</th><td>";
    out += HtmlEscape(fact.value) + "</td></tr>\n";
  }
  out += "</table>\n";
}

}  // namespace

std::string RenderEmail(const Notification& n, const EmailAddresses& addresses,
                        std::chrono::system_clock::time_point now) {
  return Compose(n.id, EmailSubject(n), EmailPlainText(n), EmailHtml(n), addresses, now);
}

std::string EmailSubject(const Digest& digest) {
  return digest.title.empty() ? "costwatch digest " + digest.digest : digest.title;
}

std::string EmailHtml(const Digest& d) {
  std::string out = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>" +
                    HtmlEscape(EmailSubject(d)) +
                    "</title></head>\n<body style=\"font-family: sans-serif\">\n";
  out += "<h2>" + HtmlEscape(EmailSubject(d)) + "</h2>\n";
  out += "<p style=\"color: #666\">" + HtmlEscape(DigestPeriodText(d)) + "</p>\n";
  AppendFactTable(out, DigestFacts(d), false);
  if (const auto top = DigestTopFacts(d); !top.empty()) {
    out += "<h3>" + HtmlEscape(DigestTopHeading(d)) + "</h3>\n";
    AppendFactTable(out, top, true);
  }
  if (const auto movers = DigestMoverFacts(d); !movers.empty()) {
    out += "<h3>Biggest movers</h3>\n";
    AppendFactTable(out, movers, true);
  }
  for (const auto& note : d.notes) out += "<p>" + HtmlEscape(note) + "</p>\n";
  if (!d.link.empty()) {
    out += "<p><a href=\"" + HtmlEscape(d.link) + "\">The bill in the AWS console</a></p>\n";
  }
  out += "<p style=\"color: #666; font-size: small\">" + HtmlEscape(DigestFooter(d)) + "</p>\n";
  out += "</body>\n</html>\n";
  return out;
}

std::string RenderEmail(const Digest& digest, const EmailAddresses& addresses,
                        std::chrono::system_clock::time_point now) {
  return Compose(digest.id, EmailSubject(digest), DigestPlainText(digest), EmailHtml(digest),
                 addresses, now);
}

}  // namespace costwatch::notify
