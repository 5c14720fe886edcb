#include "sinks/http/cloudevent_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <ostream>
#include <string>

// Found by argument-dependent lookup from gmock's matchers, so in the type's namespace.
namespace costwatch::http {
bool operator==(const Header& a, const Header& b) {
  return a.name == b.name && a.value == b.value;
}
void PrintTo(const Header& h, std::ostream* os) {
  *os << h.name << ": " << h.value;
}
}  // namespace costwatch::http

namespace costwatch::sinks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An event as costwatch stores it, with a source that needs percent-encoding and data with
// quotes, backslashes and non-ASCII.
constexpr std::string_view kEvent =
    R"({"specversion":"1.0","id":"9d6d25ec85e586199c0949b41d55c9b9","source":"urn:billing/Euro € \"100%\"","type":"amazon.billing.daily","datacontenttype":"application/json","time":"2023-01-27T00:00:00Z","data":{"date":"2023-01-27","service":"Amazon \"Q\" \\ Café","estimated":false,"amortizedCost":{"amount":"0.2672917174","unit":"USD"}}})";
constexpr std::string_view kData =
    R"({"date":"2023-01-27","service":"Amazon \"Q\" \\ Café","estimated":false,"amortizedCost":{"amount":"0.2672917174","unit":"USD"}})";

TEST(PercentEncodingTest, EverySharedVectorEncodeCase) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(
      parser.load(COSTWATCH_TEST_DATA_DIR "/cloudevents/percent-encoding-cases.json").get(root),
      simdjson::SUCCESS);
  simdjson::dom::array cases;
  ASSERT_EQ(root["encode"].get(cases), simdjson::SUCCESS);
  size_t count = 0;
  for (auto c : cases) {
    std::string_view value;
    std::string_view header;
    ASSERT_EQ(c["value"].get(value), simdjson::SUCCESS);
    ASSERT_EQ(c["header"].get(header), simdjson::SUCCESS);
    EXPECT_EQ(PercentEncodeHeaderValue(value), header) << "value: " << value;
    ++count;
  }
  EXPECT_EQ(count, 11U);
}

TEST(PercentEncodingTest, ControlCharactersDelAndC1AreEncoded) {
  EXPECT_EQ(PercentEncodeHeaderValue(std::string_view("\x00\r\n\x7f", 4)), "%00%0D%0A%7F");
  EXPECT_EQ(PercentEncodeHeaderValue("\xC2\x85"), "%C2%85");  // U+0085, a C1 control
  EXPECT_EQ(PercentEncodeHeaderValue("~!"), "~!");
  EXPECT_EQ(PercentEncodeHeaderValue(""), "");
}

TEST(StructuredModeTest, BodyIsTheStoredJsonVerbatim) {
  const HttpMessage m = EncodeStructured({"id", kEvent});
  EXPECT_EQ(m.body, kEvent);
  EXPECT_THAT(m.headers, ElementsAre(http::Header{"Content-Type",
                                                  "application/cloudevents+json; charset=utf-8"}));
}

TEST(BatchModeTest, BodyIsAJsonArrayOfTheStoredObjects) {
  const std::vector<EventRecord> events = {{"a", R"({"id":"a"})"}, {"b", R"({"id":"b"})"}};
  const HttpMessage m = EncodeBatch(events);
  EXPECT_EQ(m.body, R"([{"id":"a"},{"id":"b"}])");
  EXPECT_THAT(m.headers, ElementsAre(http::Header{
                             "Content-Type", "application/cloudevents-batch+json; charset=utf-8"}));
  EXPECT_EQ(EncodeBatch({}).body, "[]");
  const std::vector<EventRecord> one = {{"x", kEvent}};
  EXPECT_EQ(EncodeBatch(one).body, "[" + std::string(kEvent) + "]");
}

TEST(BinaryModeTest, GoldenHeadersAndVerbatimData) {
  auto m = EncodeBinary({"9d6d25ec85e586199c0949b41d55c9b9", kEvent});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_THAT(m->headers,
              ElementsAre(http::Header{"ce-specversion", "1.0"},
                          http::Header{"ce-id", "9d6d25ec85e586199c0949b41d55c9b9"},
                          http::Header{"ce-source", "urn:billing/Euro%20%E2%82%AC%20%22100%25%22"},
                          http::Header{"ce-type", "amazon.billing.daily"},
                          http::Header{"ce-time", "2023-01-27T00:00:00Z"},
                          http::Header{"Content-Type", "application/json"}));
  EXPECT_EQ(m->body, kData);
}

TEST(BinaryModeTest, ExtensionsNullsAndImpliedContentType) {
  auto m = EncodeBinary(
      {"1",
       R"({"specversion":"1.0","id":"1","source":"s","type":"t","flag":true,"n":-42,"subject":null,"data":[1, 2]})"});
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_THAT(m->headers,
              ElementsAre(http::Header{"ce-specversion", "1.0"}, http::Header{"ce-id", "1"},
                          http::Header{"ce-source", "s"}, http::Header{"ce-type", "t"},
                          http::Header{"ce-flag", "true"}, http::Header{"ce-n", "-42"},
                          http::Header{"Content-Type", "application/json"}));
  EXPECT_EQ(m->body, "[1, 2]");
}

TEST(BinaryModeTest, ScalarAndStringData) {
  auto json_string = EncodeBinary({"1", R"({"id":"1","data":"a\"b"})"});
  ASSERT_TRUE(json_string.ok());
  EXPECT_EQ(json_string->body, R"("a\"b")");  // JSON data stays JSON
  auto text = EncodeBinary({"1", R"({"id":"1","datacontenttype":"text/plain","data":"a\"b"})"});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->body, "a\"b");  // a string under a non-JSON type is the data itself
  EXPECT_THAT(text->headers,
              ElementsAre(http::Header{"ce-id", "1"}, http::Header{"Content-Type", "text/plain"}));
  auto number = EncodeBinary({"1", R"({"id":"1","data":12.50 })"});
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->body, "12.50");
  auto none = EncodeBinary({"1", R"({"id":"1"})"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->body, "");
  EXPECT_THAT(none->headers, ElementsAre(http::Header{"ce-id", "1"}));
}

TEST(BinaryModeTest, RefusesWhatCannotBeHeaders) {
  EXPECT_THAT(EncodeBinary({"x", "not json"}).error().message,
              HasSubstr("event x cannot be sent in binary mode"));
  EXPECT_FALSE(EncodeBinary({"x", "[1]"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x","Bad-Name":"v"})"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x","o":{"a":1}})"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x","f":1.5})"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x","data_base64":"AA=="})"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x","datacontenttype":"a\r\nX-Evil: 1"})"}).ok());
  EXPECT_FALSE(EncodeBinary({"x", R"({"id":"x"} {"id":"y"})"}).ok());
}

}  // namespace
}  // namespace costwatch::sinks
