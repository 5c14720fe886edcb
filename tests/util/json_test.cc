#include "util/json.h"

#include <gtest/gtest.h>

namespace costwatch {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(AppendJsonString, LeavesPlainTextAlone) {
  EXPECT_EQ(Json("Amazon EC2"), "\"Amazon EC2\"");
}

TEST(AppendJsonString, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(Json(R"(Kinesis "Data" \ Firehose)"), R"("Kinesis \"Data\" \\ Firehose")");
}

TEST(AppendJsonString, EscapesControlCharacters) {
  EXPECT_EQ(Json("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(Json(std::string_view("\x01\x1f\0", 3)), R"("\u0001\u001f\u0000")");
}

TEST(AppendJsonString, KeepsUtf8AndSlashVerbatim) {
  EXPECT_EQ(Json("Überwachung – 東京 😀 a/b \x7f"), "\"Überwachung – 東京 😀 a/b \x7f\"");
}

TEST(AppendJsonString, AppendsToWhatIsThere) {
  std::string out = "x:";
  AppendJsonString(out, "");
  EXPECT_EQ(out, "x:\"\"");
}

TEST(AppendJsonMember, CommasOnlyBetweenMembersAndItems) {
  std::string out = "{";
  AppendJsonMember(out, "a", "1");
  AppendJsonNullableMember(out, "b", std::nullopt);
  AppendJsonNullableMember(out, "c", std::string("x\"y"));
  AppendJsonKey(out, "d");
  out += '[';
  for (const char* item : {"p", "q"}) {
    AppendJsonSeparator(out);
    AppendJsonString(out, item);
  }
  out += "]";
  AppendJsonKey(out, "e");
  out += "[]}";
  EXPECT_EQ(out, R"({"a":"1","b":null,"c":"x\"y","d":["p","q"],"e":[]})");
}

}  // namespace
}  // namespace costwatch
