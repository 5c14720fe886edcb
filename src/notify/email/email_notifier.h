// E-mail over SMTP through libcurl (opened at run time, see libcurl.h): smtp:// with STARTTLS
// (required by default) or smtps:// with TLS from the start, AUTH when a username is configured.
#pragma once

#include <memory>
#include <string>

#include "notify/email/libcurl.h"
#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "util/result.h"
#include "util/secret_scrubber.h"

namespace costwatch::notify {

// What an SMTP exchange that did not end in "250 OK" means: a 5xx reply rejects the message
// for good; a 4xx reply, no reply at all (connect, TLS, timeout) or a refused STARTTLS retries.
// `smtp_code` is the server's last reply code (0 when there was none).
Outcome ClassifySmtpFailure(long smtp_code);

class EmailNotifier final : public Notifier {
 public:
  // Checks the options and opens libcurl; connects to nothing.
  static Result<std::unique_ptr<EmailNotifier>> Create(std::string name, EmailOptions options);
  ~EmailNotifier() override;
  EmailNotifier(const EmailNotifier&) = delete;
  EmailNotifier& operator=(const EmailNotifier&) = delete;

  [[nodiscard]] std::string_view name() const override { return name_; }
  SendResult send(const Notification& notification) override;
  SendResult send(const Digest& digest) override;

 private:
  EmailNotifier(std::string name, EmailOptions options, const LibCurl* curl);
  // One SMTP transaction carrying `message`.
  SendResult Transfer(const std::string& message);

  std::string name_;
  EmailOptions options_;
  const LibCurl* curl_;
  SecretScrubber secrets_;  // the password, as sent (AUTH LOGIN, AUTH PLAIN) and as is
};

}  // namespace costwatch::notify
