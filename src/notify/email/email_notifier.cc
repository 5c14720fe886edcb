#include "notify/email/email_notifier.h"

#include <algorithm>
#include <cstring>

#include "notify/email/email_message.h"

namespace costwatch::notify {
namespace {

// The message as libcurl's upload reads it.
struct Upload {
  std::string_view rest;
};

size_t ReadMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), n);
  upload->rest.remove_prefix(n);
  return n;
}

// An address as SMTP's MAIL FROM and RCPT TO take it: "<a@b>". Addresses with anything that
// could end the command early are refused by Create.
std::string Angle(const std::string& address) {
  return "<" + address + ">";
}

bool IsPlainAddress(const std::string& address) {
  const size_t at = address.rfind('@');
  return at != std::string::npos && at > 0 && at + 1 < address.size() &&
         std::none_of(address.begin(), address.end(), [](char c) {
           const auto byte = static_cast<unsigned char>(c);
           return byte <= 0x20 || byte == 0x7F || c == '<' || c == '>' || c == ',' || c == '"';
         });
}

struct CurlDeleter {
  const LibCurl* curl;
  void operator()(CURL* handle) const { curl->easy_cleanup(handle); }
};
struct SlistDeleter {
  const LibCurl* curl;
  void operator()(curl_slist* list) const { curl->slist_free_all(list); }
};

}  // namespace

Outcome ClassifySmtpFailure(long smtp_code) {
  if (smtp_code >= 500 && smtp_code < 600) return Outcome::kRejected;
  return Outcome::kRetry;
}

Result<std::unique_ptr<EmailNotifier>> EmailNotifier::Create(std::string name,
                                                             EmailOptions options) {
  const std::string where = "notifier " + name;
  const bool smtp = options.smtp_url.starts_with("smtp://");
  const bool smtps = options.smtp_url.starts_with("smtps://");
  const size_t host = options.smtp_url.find("://") + 3;
  if ((!smtp && !smtps) || options.smtp_url.size() == host ||
      options.smtp_url.find_first_of(" \t\r\n") != std::string::npos)
    return Fail(where + ": smtp_url must be an smtp:// or smtps:// URL");
  // Credentials in the URL would end up in logs; they belong in username and password.
  if (options.smtp_url.find('@', host) != std::string::npos)
    return Fail(where + ": smtp_url must not hold user information; use username and password");
  if (!IsPlainAddress(options.from)) return Fail(where + ": from must be an address like a@b.c");
  if (options.to.empty()) return Fail(where + ": needs at least one address in to");
  for (const auto& address : options.to) {
    if (!IsPlainAddress(address)) return Fail(where + ": to has an address that is not like a@b.c");
  }
  if (!options.password.empty() && options.username.empty())
    return Fail(where + ": password needs username");
  if (options.timeout.count() <= 0) return Fail(where + ": timeout must be positive");
  // Now rather than at the first alarm: a missing libcurl is a configuration problem.
  auto curl = SystemLibCurl();
  if (!curl) return WithContext(where, curl.error());
  return std::unique_ptr<EmailNotifier>(
      new EmailNotifier(std::move(name), std::move(options), *curl));
}

EmailNotifier::EmailNotifier(std::string name, EmailOptions options, const LibCurl* curl)
    : name_(std::move(name)), options_(std::move(options)), curl_(curl) {
  secrets_.AddPassword(options_.username, options_.password);
  secrets_.AddUrlCredentials(options_.smtp_url);
}

EmailNotifier::~EmailNotifier() = default;

SendResult EmailNotifier::send(const Notification& notification) {
  return Transfer(
      RenderEmail(notification, {options_.from, options_.to}, std::chrono::system_clock::now()));
}

SendResult EmailNotifier::send(const Digest& digest) {
  return Transfer(
      RenderEmail(digest, {options_.from, options_.to}, std::chrono::system_clock::now()));
}

SendResult EmailNotifier::Transfer(const std::string& message) {
  // A fresh handle per message: alarms are rare, and a pooled SMTP connection would idle out.
  const std::unique_ptr<CURL, CurlDeleter> handle(curl_->easy_init(), CurlDeleter{curl_});
  CURL* curl = handle.get();
  if (curl == nullptr) return {Outcome::kRetry, "cannot initialise libcurl", std::nullopt};
  const auto set = curl_->easy_setopt;

  curl_slist* raw_recipients = nullptr;
  for (const auto& address : options_.to)
    raw_recipients = curl_->slist_append(raw_recipients, Angle(address).c_str());
  const std::unique_ptr<curl_slist, SlistDeleter> recipients(raw_recipients, SlistDeleter{curl_});
  Upload upload{message};
  const std::string from = Angle(options_.from);

  set(curl, CURLOPT_URL, options_.smtp_url.c_str());
  set(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (options_.smtp_url.starts_with("smtp://") && options_.starttls == StartTls::kRequired) {
    // CURLUSESSL_ALL: STARTTLS or fail; the password and the message never go out in clear.
    set(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.username.empty()) {
    set(curl, CURLOPT_USERNAME, options_.username.c_str());
    set(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  if (!options_.ca_file.empty()) set(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
  set(curl, CURLOPT_MAIL_FROM, from.c_str());
  set(curl, CURLOPT_MAIL_RCPT, recipients.get());
  set(curl, CURLOPT_UPLOAD, 1L);
  set(curl, CURLOPT_READFUNCTION, ReadMessage);
  set(curl, CURLOPT_READDATA, &upload);
  set(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  set(curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::min<long long>(options_.timeout.count(), 10000)));
  set(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  set(curl, CURLOPT_NOSIGNAL, 1L);
  char error_buffer[CURL_ERROR_SIZE] = {};
  set(curl, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_->easy_perform(curl);
  long smtp_code = 0;
  curl_->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtp_code);
  SendResult result;
  const std::string recipients_text =
      std::to_string(options_.to.size()) + (options_.to.size() == 1 ? " recipient" : " recipients");
  if (code == CURLE_OK) {
    result.message = "SMTP " + std::to_string(smtp_code) + ": sent to " + recipients_text;
    return result;
  }
  result.outcome = ClassifySmtpFailure(smtp_code);
  result.message = smtp_code > 0 ? "SMTP " + std::to_string(smtp_code) + ": " : "no SMTP reply: ";
  result.message += error_buffer[0] != '\0' ? error_buffer : curl_->easy_strerror(code);
  result.message = secrets_.Scrub(result.message);
  return result;
}

}  // namespace costwatch::notify
