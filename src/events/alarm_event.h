// A notification as the CloudEvent amazon.billing.alarm (docs/events.md, "Alarm events"): what
// the `cloudevent` notifier queues into the outboxes of its sinks.
#pragma once

#include <string>
#include <string_view>

#include "events/cost_event.h"
#include "notify/notifier.h"
#include "util/result.h"

namespace costwatch::events {

inline constexpr std::string_view kAlarmEventType = "amazon.billing.alarm";

// One compact JSON line, no trailing newline: the attributes (id = the notification's id, time
// = when the engine decided) and the notification as `data`, exactly as NotificationToJson
// writes it. Fails for an empty id or source, which CloudEvents forbids.
Result<std::string> AlarmEvent(const notify::Notification& notification,
                               std::string_view source = kDefaultSource);

}  // namespace costwatch::events
