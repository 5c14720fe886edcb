#include "notify/notifier_sink.h"

#include "notify/digest_json.h"
#include "notify/notification_json.h"

namespace costwatch::notify {

std::string QueueName(std::string_view notifier) {
  return std::string(kQueuePrefix) + std::string(notifier);
}

NotifierSink::NotifierSink(std::unique_ptr<Notifier> notifier)
    : notifier_(std::move(notifier)), queue_(QueueName(notifier_->name())) {}

sinks::DeliveryResult NotifierSink::deliver(std::span<const sinks::EventRecord> events) {
  for (const auto& event : events) {
    if (IsDigestJson(event.json)) {
      auto digest = ParseDigest(event.json);
      if (!digest) {
        return {
            Outcome::kRejected,
            "queued digest " + std::string(event.id) + " is unreadable: " + digest.error().message,
            std::nullopt};
      }
      auto sent = notifier_->send(*digest);
      if (sent.outcome != Outcome::kDelivered) return sent;
      continue;
    }
    auto notification = ParseNotification(event.json);
    // Only costwatch writes this queue, so an unreadable entry can never be sent: set it aside.
    if (!notification) {
      return {Outcome::kRejected,
              "queued notification " + std::string(event.id) +
                  " is unreadable: " + notification.error().message,
              std::nullopt};
    }
    auto sent = notifier_->send(*notification);
    if (sent.outcome != Outcome::kDelivered) return sent;
  }
  return {};
}

}  // namespace costwatch::notify
