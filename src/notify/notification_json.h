// A notification as JSON: how the state database queues it, what the generic webhook posts and
// the `data` of the amazon.billing.alarm CloudEvent (docs/events.md, "Alarm events").
#pragma once

#include <string>
#include <string_view>

#include "notify/notifier.h"
#include "util/result.h"

namespace costwatch::notify {

// One compact line, members in a fixed order and named in lowerCamelCase; amounts stay strings
// and an unknown forecast is null, so every notification has the same shape.
std::string NotificationToJson(const Notification& notification);

// The inverse of NotificationToJson: ParseNotification(NotificationToJson(n)) gives n back,
// byte for byte. Members it does not know are ignored (a newer costwatch may add some); a
// missing, duplicated or mistyped one is an error naming the member.
Result<Notification> ParseNotification(std::string_view json);

}  // namespace costwatch::notify
