// The Slack and Teams payloads against the shapes Slack and Microsoft document: parsed back and
// checked member by member.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>

#include "notify/slack/slack_notifier.h"
#include "notify/teams/teams_notifier.h"
#include "sample_notification.h"

namespace costwatch::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleNotification;

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

// A Slack text object: type plain_text or mrkdwn and a non-empty text.
void ExpectTextObject(simdjson::dom::element text, size_t max_length, std::string& all_text) {
  const std::string type = Str(text["type"]);
  EXPECT_TRUE(type == "plain_text" || type == "mrkdwn") << type;
  const std::string content = Str(text["text"]);
  EXPECT_FALSE(content.empty());
  EXPECT_LE(CodePoints(content), max_length);
  all_text += content + "\n";
}

TEST(SlackPayload, BlockKitShape) {
  const std::string payload = SlackPayload(SampleNotification());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(payload).get(root), simdjson::SUCCESS) << payload;
  EXPECT_EQ(Str(root["text"]), SampleNotification().title);
  simdjson::dom::array blocks;
  ASSERT_EQ(root["blocks"].get_array().get(blocks), simdjson::SUCCESS);
  std::vector<std::string> types;
  std::string all_text;
  for (simdjson::dom::element block : blocks) {
    const std::string type = Str(block["type"]);
    types.push_back(type);
    if (type == "header") {
      EXPECT_EQ(Str(block["text"]["type"]), "plain_text");
      ExpectTextObject(block["text"], 150, all_text);
    } else if (type == "section") {
      simdjson::dom::element text;
      simdjson::dom::array fields;
      if (block["text"].get(text) == simdjson::SUCCESS) ExpectTextObject(text, 3000, all_text);
      if (block["fields"].get_array().get(fields) == simdjson::SUCCESS) {
        EXPECT_LE(fields.size(), 10U);
        for (simdjson::dom::element field : fields) ExpectTextObject(field, 2000, all_text);
      }
    } else if (type == "context") {
      simdjson::dom::array elements;
      ASSERT_EQ(block["elements"].get_array().get(elements), simdjson::SUCCESS);
      for (simdjson::dom::element element : elements) ExpectTextObject(element, 3000, all_text);
    } else {
      ADD_FAILURE() << "unexpected block type " << type;
    }
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{"header", "section", "section", "section", "context"}));
  // What crossed what, with mrkdwn's specials escaped.
  for (const char* expected :
       {"12.40 USD", "10 USD", "2026-11-01 to 2026-11-30", "15.75 USD", "Top services",
        "Amazon Relational Database Service \u2014 caf\u00e9: 3.20 USD", "OK \u2192 ALARM",
        "threshold 10 USD &lt;\"&amp;'&gt;."}) {
    EXPECT_THAT(all_text, HasSubstr(expected));
  }
}

TEST(SlackPayload, LongTitlesAreCutToTheHeaderLimit) {
  Notification n = SampleNotification();
  n.title = std::string(140, 'x') + std::string(20, 'e') + "\u00e9\u00e9\u00e9";
  n.test = true;
  n.forecast.reset();
  n.top.clear();
  const std::string payload = SlackPayload(n);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(payload).get(root), simdjson::SUCCESS);
  const std::string header = Str(root["blocks"].at(0)["text"]["text"]);
  EXPECT_EQ(CodePoints(header), 150U);
  EXPECT_TRUE(header.ends_with("\u2026"));
  EXPECT_EQ(Str(root["text"]), n.title) << "the fallback text is whole";
  EXPECT_THAT(payload, HasSubstr("test notification"));
  EXPECT_THAT(payload, Not(HasSubstr("Forecast")));
  EXPECT_THAT(payload, Not(HasSubstr("Top services")));
}

TEST(TeamsPayload, AdaptiveCardShape) {
  const std::string payload = TeamsPayload(SampleNotification());
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(payload).get(root), simdjson::SUCCESS) << payload;
  EXPECT_EQ(Str(root["type"]), "message");
  simdjson::dom::array attachments;
  ASSERT_EQ(root["attachments"].get_array().get(attachments), simdjson::SUCCESS);
  ASSERT_EQ(attachments.size(), 1U);
  simdjson::dom::element attachment = attachments.at(0);
  EXPECT_EQ(Str(attachment["contentType"]), "application/vnd.microsoft.card.adaptive");
  simdjson::dom::element card = attachment["content"];
  EXPECT_EQ(Str(card["type"]), "AdaptiveCard");
  EXPECT_EQ(Str(card["version"]), "1.4");
  EXPECT_EQ(Str(card["$schema"]), "http://adaptivecards.io/schemas/adaptive-card.json");
  simdjson::dom::array body;
  ASSERT_EQ(card["body"].get_array().get(body), simdjson::SUCCESS);
  ASSERT_GE(body.size(), 3U);
  std::string all_text;
  for (simdjson::dom::element element : body) {
    const std::string type = Str(element["type"]);
    if (type == "TextBlock") {
      all_text += Str(element["text"]) + "\n";
    } else if (type == "FactSet") {
      simdjson::dom::array facts;
      ASSERT_EQ(element["facts"].get_array().get(facts), simdjson::SUCCESS);
      for (simdjson::dom::element fact : facts)
        all_text += Str(fact["title"]) + ": " + Str(fact["value"]) + "\n";
    } else {
      ADD_FAILURE() << "unexpected element " << type;
    }
  }
  EXPECT_EQ(Str(body.at(0)["color"]), "Attention");
  const std::string reason = SampleNotification().reason;
  for (const char* expected :
       {"Amount: 12.40 USD", "Threshold: 10 USD", "Period: 2026-11-01 to 2026-11-30",
        "Forecast: 15.75 USD", "Top services", "Amazon Elastic Compute Cloud - Compute: 8.10 USD",
        reason.c_str()}) {
    EXPECT_THAT(all_text, HasSubstr(expected));
  }
}

}  // namespace
}  // namespace costwatch::notify
