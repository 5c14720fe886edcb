// A digest through the notify module: its JSON (the outbox and the webhook) round-trips, the
// Slack and Teams payloads keep the shapes and limits Slack and Microsoft document even for a
// long list, the e-mail is multipart, and a queued digest reaches the notifier's digest send.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>

#include "notify/digest_json.h"
#include "notify/digest_text.h"
#include "notify/email/email_message.h"
#include "notify/notification_json.h"
#include "notify/notifier_sink.h"
#include "notify/slack/slack_notifier.h"
#include "notify/sns/sns_notifier.h"
#include "notify/teams/teams_notifier.h"
#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;

Digest SampleDigest(size_t groups = 3) {
  Digest d;
  d.id = "bill-2026-10-01";
  d.digest = "bill";
  d.kind = "monthly";
  d.title = "AWS bill for October 2026: 444717.27 USD (+4.9%)";
  d.source = "aws";
  d.metric = "UnblendedCost";
  d.group_by = "service";
  d.unit = "USD";
  d.period_start = "2026-10-01";
  d.period_end = "2026-11-01";
  d.figures = {{"Bill for October 2026", "444717.2700000001", "424012.84", "September 2026", ""},
               {"Forecast", "1.5", std::nullopt, "", "run-rate projection"}};
  d.spend = "447714.49";
  d.credits = "-2995.72";
  d.refunds = "-1.5";
  for (size_t i = 0; i < groups; ++i) {
    d.top.push_back({"\u00dcberwachung \u2013 \u00c4gypten \u6771\u4eac <&> service number " +
                         std::to_string(i) + " with a long name to fill the sections",
                     std::to_string(1000 - i) + ".125", std::to_string(900 - i)});
  }
  d.rest = DigestGroup{"46 other services", "201322.12", "194500"};
  d.movers = {{"Amazon DynamoDB", "35050.41", "31958.65"}, {"New thing", "3", "0"}};
  d.link = "https://console.aws.amazon.com/billing/home#/bills";
  d.notes = {"AWS still marks some of these costs as estimated."};
  d.time = "2026-11-03T08:00:02Z";
  return d;
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Str(simdjson::dom::element e) {
  std::string_view s;
  EXPECT_EQ(e.get_string().get(s), simdjson::SUCCESS);
  return std::string(s);
}

TEST(DigestJson, RoundTripsByteForByte) {
  const Digest digest = SampleDigest();
  const std::string json = DigestToJson(digest);
  EXPECT_TRUE(IsDigestJson(json));
  EXPECT_FALSE(IsDigestJson(NotificationToJson(testing::SampleNotification())));
  auto parsed = ParseDigest(json);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(DigestToJson(*parsed), json);
  EXPECT_EQ(parsed->figures[1].previous, std::nullopt);
  EXPECT_EQ(parsed->rest->name, "46 other services");

  Digest without_rest = digest;
  without_rest.rest.reset();
  auto again = ParseDigest(DigestToJson(without_rest));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->rest.has_value());

  auto missing = ParseDigest(R"({"digest":"bill","id":"x"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("\"kind\" is missing"));
}

TEST(DigestText, ChangesAreRoundedForDisplayOnly) {
  EXPECT_EQ(ChangePercent("110", std::string("100")), "+10.0%");
  EXPECT_EQ(ChangePercent("0", std::string("3")), "-100.0%");
  EXPECT_EQ(ChangePercent("3", std::string("0")), "new");
  EXPECT_EQ(ChangePercent("0", std::string("0")), "");
  EXPECT_EQ(ChangePercent("3", std::nullopt), "");
  const Digest digest = SampleDigest();
  EXPECT_EQ(DigestMoney(digest, "444717.2750000001"), "444717.28 USD");
  const auto facts = DigestFacts(digest);
  ASSERT_GE(facts.size(), 5U);
  EXPECT_EQ(facts[0].value, "444717.27 USD, +4.9% against September 2026 (424012.84 USD)");
  EXPECT_EQ(facts[1].value, "1.50 USD [run-rate projection]");
  EXPECT_EQ(facts.back().label, "Refunds");
  const auto movers = DigestMoverFacts(digest);
  ASSERT_EQ(movers.size(), 2U);
  EXPECT_EQ(movers[0].value, "+3091.76 USD (31958.65 USD to 35050.41 USD)");
}

TEST(SlackDigestPayload, KeepsBlockKitLimitsForALongList) {
  const Digest digest = SampleDigest(100);
  const std::string payload = SlackDigestPayload(digest);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(payload).get(root), simdjson::SUCCESS) << payload;
  EXPECT_EQ(Str(root["text"]), digest.title);
  simdjson::dom::array blocks;
  ASSERT_EQ(root["blocks"].get_array().get(blocks), simdjson::SUCCESS);
  EXPECT_LE(blocks.size(), 50U);
  EXPECT_GT(blocks.size(), 6U) << "a long list takes several sections";
  std::string all;
  size_t index = 0;
  for (simdjson::dom::element block : blocks) {
    const std::string type = Str(block["type"]);
    if (index++ == 0) {
      EXPECT_EQ(type, "header");
      EXPECT_EQ(Str(block["text"]["type"]), "plain_text");
      EXPECT_LE(CodePoints(Str(block["text"]["text"])), 150U);
      continue;
    }
    if (type == "context") {
      simdjson::dom::array elements;
      ASSERT_EQ(block["elements"].get_array().get(elements), simdjson::SUCCESS);
      EXPECT_LE(elements.size(), 10U);
      for (simdjson::dom::element element : elements) all += Str(element["text"]);
      continue;
    }
    ASSERT_EQ(type, "section");
    simdjson::dom::array fields;
    if (block["fields"].get_array().get(fields) == simdjson::SUCCESS) {
      EXPECT_LE(fields.size(), 10U);
      for (simdjson::dom::element field : fields) {
        EXPECT_EQ(Str(field["type"]), "mrkdwn");
        EXPECT_LE(CodePoints(Str(field["text"])), 2000U);
      }
      continue;
    }
    EXPECT_EQ(Str(block["text"]["type"]), "mrkdwn");
    const std::string text = Str(block["text"]["text"]);
    EXPECT_LE(CodePoints(text), 3000U);
    all += text + "\n";
  }
  // Every line arrives whole (no line is cut between sections), escaped for mrkdwn.
  EXPECT_THAT(all, HasSubstr("service number 99 with a long name"));
  EXPECT_THAT(all, HasSubstr("&lt;&amp;&gt;"));
  EXPECT_THAT(all, HasSubstr("\u6771\u4eac"));
  EXPECT_THAT(all, HasSubstr("<https://console.aws.amazon.com/billing/home#/bills|"));
  EXPECT_THAT(all, HasSubstr("digest bill"));
}

TEST(TeamsDigestPayload, IsAnAdaptiveCardWithTheBillsLink) {
  const std::string payload = TeamsDigestPayload(SampleDigest());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(payload).get(root), simdjson::SUCCESS) << payload;
  EXPECT_EQ(Str(root["type"]), "message");
  simdjson::dom::element card = root["attachments"].at(0)["content"];
  EXPECT_EQ(Str(root["attachments"].at(0)["contentType"]),
            "application/vnd.microsoft.card.adaptive");
  EXPECT_EQ(Str(card["type"]), "AdaptiveCard");
  EXPECT_EQ(Str(card["version"]), "1.4");
  simdjson::dom::array body;
  ASSERT_EQ(card["body"].get_array().get(body), simdjson::SUCCESS);
  for (simdjson::dom::element element : body) {
    const std::string type = Str(element["type"]);
    EXPECT_TRUE(type == "TextBlock" || type == "FactSet") << type;
  }
  EXPECT_EQ(Str(card["actions"].at(0)["type"]), "Action.OpenUrl");
  EXPECT_EQ(Str(card["actions"].at(0)["url"]), SampleDigest().link);
}

TEST(DigestEmail, IsMultipartWithTheTitleAsSubject) {
  const std::string message = RenderEmail(SampleDigest(), {"costwatch@example.com", {"a@b.c"}},
                                          std::chrono::system_clock::time_point{});
  EXPECT_THAT(message, HasSubstr("Content-Type: multipart/alternative;"));
  EXPECT_THAT(message, HasSubstr("Subject: AWS bill for October 2026: 444717.27 USD (+4.9%)"));
  EXPECT_THAT(message, HasSubstr("Message-ID: <bill-2026-10-01@example.com>"));
  EXPECT_THAT(EmailHtml(SampleDigest()), HasSubstr("&lt;&amp;&gt;"));
  EXPECT_THAT(EmailHtml(SampleDigest()),
              HasSubstr("<a href=\"https://console.aws.amazon.com/billing/home#/bills\">"));
  EXPECT_THAT(DigestPlainText(SampleDigest()), HasSubstr("Credits: -2995.72 USD"));
}

TEST(SnsNotifier, PublishesADigestsPlainTextUnderAnAsciiSubject) {
  std::vector<std::string> published;
  auto notifier = MakeSnsNotifier("sns", "arn:aws:sns:eu-west-1:123456789012:billing",
                                  [&](const std::string&, const std::string& subject,
                                      const std::string& message) -> Result<std::string> {
                                    published = {subject, message};
                                    return std::string("m-1");
                                  });
  Digest digest = SampleDigest();
  digest.title = "Co\u00fbts AWS du 2026-11-28: 12.00 USD";
  EXPECT_EQ(notifier->send(digest).outcome, Outcome::kDelivered);
  ASSERT_EQ(published.size(), 2U);
  EXPECT_EQ(published[0], "Co?ts AWS du 2026-11-28: 12.00 USD");
  EXPECT_EQ(published[1], DigestPlainText(digest));
}

class DigestRecorder final : public Notifier {
 public:
  [[nodiscard]] std::string_view name() const override { return "ops"; }
  SendResult send(const Notification&) override {
    ++notifications;
    return {};
  }
  SendResult send(const Digest& digest) override {
    digests.push_back(DigestToJson(digest));
    return {};
  }
  int notifications = 0;
  std::vector<std::string> digests;
};

TEST(NotifierSink, SendsAQueuedDigestAsADigest) {
  auto notifier = std::make_unique<DigestRecorder>();
  auto* recorder = notifier.get();
  NotifierSink sink(std::move(notifier));
  const std::string digest = DigestToJson(SampleDigest());
  const std::string notification = NotificationToJson(testing::SampleNotification());
  const std::vector<sinks::EventRecord> events = {{"d1", digest}, {"n1", notification}};
  EXPECT_EQ(sink.deliver(events).outcome, Outcome::kDelivered);
  EXPECT_EQ(recorder->notifications, 1);
  ASSERT_EQ(recorder->digests.size(), 1U);
  EXPECT_EQ(recorder->digests[0], digest);
  const std::vector<sinks::EventRecord> broken = {{"d2", R"({"digest":"bill"})"}};
  auto result = sink.deliver(broken);
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("queued digest d2 is unreadable"));
}

}  // namespace
}  // namespace costwatch::notify
