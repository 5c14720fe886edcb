#include "notify/notifier_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "notify/notification_json.h"
#include "notify/sns/sns_notifier.h"
#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;

class RecordingNotifier final : public Notifier {
 public:
  explicit RecordingNotifier(Outcome outcome) : outcome_(outcome) {}
  [[nodiscard]] std::string_view name() const override { return "ops"; }
  SendResult send(const Notification& notification) override {
    sent.push_back(notification);
    return {outcome_, "answer", std::nullopt};
  }
  SendResult send(const Digest& digest) override {
    digests.push_back(digest);
    return {outcome_, "answer", std::nullopt};
  }
  std::vector<Notification> sent;
  std::vector<Digest> digests;

 private:
  Outcome outcome_;
};

TEST(NotifierSink, SendsEachQueuedNotificationThroughItsNotifier) {
  auto notifier = std::make_unique<RecordingNotifier>(Outcome::kDelivered);
  auto* recording = notifier.get();
  NotifierSink sink(std::move(notifier));
  EXPECT_EQ(sink.name(), "notifier:ops");
  EXPECT_EQ(sink.max_batch(), 1U);
  const Notification sample = testing::SampleNotification();
  const std::string json = NotificationToJson(sample);
  const std::vector<sinks::EventRecord> events = {{sample.id, json}};
  EXPECT_EQ(sink.deliver(events).outcome, Outcome::kDelivered);
  ASSERT_EQ(recording->sent.size(), 1U);
  EXPECT_EQ(NotificationToJson(recording->sent[0]), json);
}

TEST(NotifierSink, PassesOnTheNotifiersAnswerAndSetsAsideWhatItCannotRead) {
  NotifierSink retrying(std::make_unique<RecordingNotifier>(Outcome::kRetry));
  const Notification sample = testing::SampleNotification();
  const std::string json = NotificationToJson(sample);
  const std::vector<sinks::EventRecord> events = {{sample.id, json}};
  EXPECT_EQ(retrying.deliver(events).outcome, Outcome::kRetry);

  const std::vector<sinks::EventRecord> broken = {{"x1", "{\"rule\":"}};
  auto result = retrying.deliver(broken);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("queued notification x1 is unreadable"));
}

TEST(SnsNotifier, PublishesTheTitleAsAnAsciiSubjectAndThePlainText) {
  std::vector<std::string> published;
  auto notifier = MakeSnsNotifier("sns", "arn:aws:sns:eu-west-1:123456789012:billing",
                                  [&](const std::string& topic, const std::string& subject,
                                      const std::string& message) -> Result<std::string> {
                                    published = {topic, subject, message};
                                    return std::string("msg-1");
                                  });
  Notification sample = testing::SampleNotification();
  sample.title = "ALARM: café — " + std::string(200, 'x');
  EXPECT_EQ(notifier->send(sample).outcome, Outcome::kDelivered);
  ASSERT_EQ(published.size(), 3U);
  EXPECT_EQ(published[0], "arn:aws:sns:eu-west-1:123456789012:billing");
  EXPECT_EQ(published[1].substr(0, 16), "ALARM: caf? ? xx");
  EXPECT_EQ(published[1].size(), 99U);
  EXPECT_THAT(published[2], HasSubstr(sample.reason));

  auto failing = MakeSnsNotifier(
      "sns", "arn:aws:sns:eu-west-1:1:t",
      [](const std::string&, const std::string&, const std::string&) -> Result<std::string> {
        return Fail("AuthorizationError: not allowed");
      });
  auto result = failing->send(sample);
  EXPECT_EQ(result.outcome, Outcome::kRetry);
  EXPECT_THAT(result.message, HasSubstr("AuthorizationError"));
}

TEST(SnsNotifier, TheSubjectIsTheEmailSubject) {
  Notification sample = testing::SampleNotification();
  EXPECT_EQ(SnsSubject(sample), sample.title);
  sample.test = true;
  EXPECT_EQ(SnsSubject(sample), "[TEST] " + sample.title);
  sample.title = "[TEST] " + sample.title;
  EXPECT_EQ(SnsSubject(sample), sample.title);
  sample.title.clear();
  EXPECT_EQ(SnsSubject(sample), "[TEST] " + sample.rule);
}

}  // namespace
}  // namespace costwatch::notify
