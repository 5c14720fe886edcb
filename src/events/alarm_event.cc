#include "events/alarm_event.h"

#include "events/envelope.h"
#include "notify/notification_json.h"

namespace costwatch::events {

Result<std::string> AlarmEvent(const notify::Notification& notification, std::string_view source) {
  if (notification.id.empty()) return Fail("an alarm event needs the notification's id");
  if (source.empty()) return Fail("an alarm event needs a source");
  return WrapInCloudEvent(notification.id, source, kAlarmEventType, notification.time,
                          notify::NotificationToJson(notification));
}

}  // namespace costwatch::events
