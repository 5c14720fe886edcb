// A notifier seen as a sink, so that queued notifications are delivered by the same engine as
// events (daemon/delivery.h): one outbox queue per notifier, named "notifier:<name>", with the
// same retries, backoff and dead letters. The queue holds NotificationToJson() and, for
// scheduled digests, DigestToJson().
#pragma once

#include <memory>
#include <string>

#include "notify/notifier.h"
#include "sinks/sink.h"

namespace costwatch::notify {

inline constexpr std::string_view kQueuePrefix = "notifier:";

// The outbox queue of a notifier.
std::string QueueName(std::string_view notifier);

class NotifierSink final : public sinks::Sink {
 public:
  explicit NotifierSink(std::unique_ptr<Notifier> notifier);

  [[nodiscard]] std::string_view name() const override { return queue_; }
  // One notification per send: e-mail and chat messages have no batches.
  sinks::DeliveryResult deliver(std::span<const sinks::EventRecord> events) override;

 private:
  std::unique_ptr<Notifier> notifier_;
  std::string queue_;
};

}  // namespace costwatch::notify
