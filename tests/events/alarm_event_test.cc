#include "events/alarm_event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "../notify/sample_notification.h"
#include "notify/notification_json.h"

namespace costwatch::events {
namespace {

using notify::testing::SampleNotification;

TEST(AlarmEvent, AttributesThenTheNotificationAsData) {
  const notify::Notification n = SampleNotification();
  auto event = AlarmEvent(n);
  ASSERT_TRUE(event.ok()) << event.error().message;
  EXPECT_EQ(*event, R"({"specversion":"1.0","id":"5c1f0e4b9a7d4e2f8b3a6c9d0e1f2a3b",)"
                    R"("source":"cloud.amazon.billing","type":"amazon.billing.alarm",)"
                    R"("datacontenttype":"application/json","time":"2026-11-29T16:50:10Z",)"
                    R"("data":)" +
                        notify::NotificationToJson(n) + "}");
  EXPECT_EQ(event->find('\n'), std::string::npos);

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(*event).get(root), simdjson::SUCCESS);
  std::string_view text;
  ASSERT_EQ(root["data"]["periodStart"].get_string().get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "2026-11-01");
  ASSERT_EQ(root["data"]["top"].at(1)["name"].get_string().get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "Amazon Relational Database Service \u2014 caf\u00e9");
}

TEST(AlarmEvent, SourceIsConfigurableAndIdRequired) {
  notify::Notification n = SampleNotification();
  auto event = AlarmEvent(n, "https://billing.example/\"prod\"");
  ASSERT_TRUE(event.ok());
  EXPECT_THAT(*event, ::testing::HasSubstr(R"("source":"https://billing.example/\"prod\"")"));
  EXPECT_FALSE(AlarmEvent(n, "").ok());
  n.id.clear();
  EXPECT_FALSE(AlarmEvent(n).ok());
  n = SampleNotification();
  n.time.clear();
  auto timeless = AlarmEvent(n);
  ASSERT_TRUE(timeless.ok());
  EXPECT_THAT(*timeless, ::testing::HasSubstr(R"("datacontenttype":"application/json","data":)"));
}

}  // namespace
}  // namespace costwatch::events
