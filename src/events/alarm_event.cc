#include "events/alarm_event.h"

#include "notify/notification_json.h"
#include "util/json.h"

namespace costwatch::events {

Result<std::string> AlarmEvent(const notify::Notification& notification, std::string_view source) {
  if (notification.id.empty()) return Fail("an alarm event needs the notification's id");
  if (source.empty()) return Fail("an alarm event needs a source");
  std::string out = R"({"specversion":"1.0","id":)";
  AppendJsonString(out, notification.id);
  out += R"(,"source":)";
  AppendJsonString(out, source);
  out += R"(,"type":")";
  out += kAlarmEventType;
  out += R"(","datacontenttype":"application/json")";
  // `time` is optional in CloudEvents; a notification without one says nothing rather than
  // something made up.
  if (!notification.time.empty()) {
    out += R"(,"time":)";
    AppendJsonString(out, notification.time);
  }
  out += R"(,"data":)";
  out += notify::NotificationToJson(notification);
  out += '}';
  return out;
}

}  // namespace costwatch::events
