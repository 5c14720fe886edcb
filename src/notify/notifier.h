// The one small interface every notifier implements, and the messages they all carry: an alarm
// notification, or a scheduled cost digest.
// Notifiers only move one message: the alarm engine queues notifications in the state database
// and owns retries, as the delivery engine does for sinks (sinks/sink.h).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/digest.h"
#include "sinks/sink.h"

namespace costwatch::notify {

// One line of "top services" (or accounts): an exact decimal amount as text.
struct Contributor {
  std::string name;
  std::string amount;
};

// What a rule says when its state changes (or as a reminder, or as a test). Every amount is an
// exact decimal string in `unit`'s currency, never a double. docs/alarms.md shows the shapes.
struct Notification {
  std::string id;              // stable: the same transition always has the same id (dedupe key)
  std::string rule;            // the rule's name from the config
  std::string kind;            // month_to_date, budget, spike
  std::string previous_state;  // OK, ALARM, INSUFFICIENT_DATA
  std::string state;
  bool reminder = false;  // the state did not change; the rule's reminder interval passed
  bool test = false;      // sent by `costwatch alarm test`: not a real alarm

  std::string title;   // one line, e.g. "ALARM: monthly-10usd, month-to-date 12.40 USD >= 10 USD"
  std::string reason;  // one sentence: what crossed what
  std::string
      scope;  // "all services", "service Amazon EC2", "account 123456789012", "tag team=web"

  std::string amount;                   // the measured value
  std::string threshold;                // what it was compared with
  std::string unit;                     // USD
  std::string period_start;             // YYYY-MM-DD, inclusive
  std::string period_end;               // YYYY-MM-DD, exclusive
  std::optional<std::string> forecast;  // forecast spend for the period, when known
  std::vector<Contributor> top;         // biggest services (or accounts) in the period

  std::string time;  // RFC 3339 UTC, when the engine decided
};

// The outcome of one send: the same three answers a sink gives.
using SendResult = sinks::DeliveryResult;
using sinks::Outcome;

class Notifier {
 public:
  virtual ~Notifier() = default;
  [[nodiscard]] virtual std::string_view name() const = 0;
  // Sends one notification. kRetry: a temporary failure (network, 5xx, 429, SMTP 4xx);
  // kRejected: the receiver refuses it for good (4xx, SMTP 5xx); messages never hold secrets.
  virtual SendResult send(const Notification& notification) = 0;
  // Sends one scheduled digest (notify/digest.h), with the same answers.
  virtual SendResult send(const Digest& digest) = 0;
};

}  // namespace costwatch::notify
