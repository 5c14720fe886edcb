#include "notify/sns/sns_notifier.h"

#include "notify/digest_text.h"
#include "notify/email/email_message.h"

namespace costwatch::notify {
namespace {

class SnsNotifier final : public Notifier {
 public:
  SnsNotifier(std::string name, std::string topic_arn, SnsPublish publish)
      : name_(std::move(name)), topic_arn_(std::move(topic_arn)), publish_(std::move(publish)) {}

  [[nodiscard]] std::string_view name() const override { return name_; }

  SendResult send(const Notification& notification) override {
    // E-mail subscribers get the same plain text as the e-mail notifier's.
    return Publish(SnsSubject(notification), EmailPlainText(notification));
  }

  SendResult send(const Digest& digest) override {
    return Publish(SnsSubject(EmailSubject(digest)), DigestPlainText(digest));
  }

 private:
  SendResult Publish(const std::string& subject, const std::string& message) {
    auto published = publish_(topic_arn_, subject, message);
    if (!published) {
      // The client has retried what AWS says is temporary already; the outbox tries again
      // later rather than lose the notification.
      return {Outcome::kRetry, "SNS Publish to " + topic_arn_ + ": " + published.error().message,
              std::nullopt};
    }
    return {Outcome::kDelivered, "published " + *published, std::nullopt};
  }

  std::string name_;
  std::string topic_arn_;
  SnsPublish publish_;
};

}  // namespace

std::string SnsSubject(const Notification& notification) {
  // The e-mail notifier's subject, so that e-mail subscribers see the same.
  return SnsSubject(EmailSubject(notification));
}

std::string SnsSubject(std::string_view text) {
  std::string subject;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      subject += c;
    } else if (byte >= 0xc0 || byte < 0x80) {
      subject += '?';  // one per character: UTF-8 continuation bytes are skipped
    }
    if (subject.size() == 99) break;
  }
  return subject;
}

std::unique_ptr<Notifier> MakeSnsNotifier(std::string name, std::string topic_arn,
                                          SnsPublish publish) {
  return std::make_unique<SnsNotifier>(std::move(name), std::move(topic_arn), std::move(publish));
}

}  // namespace costwatch::notify
