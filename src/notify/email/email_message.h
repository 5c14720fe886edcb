// The e-mail a notification becomes: RFC 5322 headers and a multipart/alternative body with a
// text/plain and a text/html part, both UTF-8 in quoted-printable, CRLF line breaks throughout.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "notify/notifier.h"

namespace costwatch::notify {

struct EmailAddresses {
  std::string from;             // a bare address: alerts@example.com
  std::vector<std::string> to;  // bare addresses
};

// The subject: the title, with "[TEST] " in front of a test notification.
std::string EmailSubject(const Notification& notification);

// The two bodies, before transfer encoding ('\n' line breaks).
std::string EmailPlainText(const Notification& notification);
std::string EmailHtml(const Notification& notification);

// A digest's subject (its title) and bodies.
std::string EmailSubject(const Digest& digest);
std::string EmailHtml(const Digest& digest);

// The whole message, ready for SMTP DATA. The Message-ID derives from the notification id, so
// a retried notification is recognisably the same message.
std::string RenderEmail(const Notification& notification, const EmailAddresses& addresses,
                        std::chrono::system_clock::time_point now);
// A digest's message: its plain text (DigestPlainText) and HTML, Message-ID from its id.
std::string RenderEmail(const Digest& digest, const EmailAddresses& addresses,
                        std::chrono::system_clock::time_point now);

}  // namespace costwatch::notify
