#include "events/cost_event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <array>

namespace costwatch::events {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Encodes the rows of one answer with the real reader, as convert does.
std::vector<std::string> Encode(std::string_view answer, EncoderOptions options = {}) {
  ce::CostAndUsageReader reader;
  CostEventEncoder encoder(std::move(options));
  std::vector<std::string> lines;
  auto page = reader.read(answer, [&](const ce::CostAndUsagePage& p, const ce::CostRow& row) {
    ByteBuffer out;
    auto ok = encoder.append(p, row, out);
    lines.push_back(ok ? std::string(out.view()) : "ERROR " + ok.error().message);
  });
  EXPECT_TRUE(page) << page.error().message;
  return lines;
}

std::string Sha256Hex32(std::string_view input) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest.data());
  char hex[65];
  for (size_t i = 0; i < digest.size(); ++i) (void)std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  return std::string(hex, 32);
}

constexpr std::string_view kSeed = R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],
  "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Total":{},
  "Groups":[{"Keys":["Amazon Relational Database Service"],
             "Metrics":{"AmortizedCost":{"Amount":"0.2672917174","Unit":"USD"}}}],
  "Estimated":false}]})";

TEST(CostEventEncoder, WritesTheSeedEventExactly) {
  const auto lines = Encode(kSeed);
  ASSERT_EQ(lines.size(), 1u);
  // The id input is spelled out here as docs/events.md defines it, independently of the code.
  const std::string id = Sha256Hex32(
      "20:cloud.amazon.billing,20:amazon.billing.daily,10:2023-01-27,9:DIMENSION,7:SERVICE,"
      "34:Amazon Relational Database Service,13:AmortizedCost,12:0.2672917174,3:USD,");
  EXPECT_EQ(lines[0],
            R"({"specversion":"1.0","id":")" + id +
                R"(","source":"cloud.amazon.billing","type":"amazon.billing.daily",)"
                R"("datacontenttype":"application/json","time":"2023-01-27T00:00:00Z",)"
                R"("partitionkey":"Amazon Relational Database Service",)"
                R"("data":{"date":"2023-01-27","service":"Amazon Relational Database Service",)"
                R"("estimated":false,"amortizedCost":{"amount":"0.2672917174","unit":"USD"}}})"
                "\n");
}

TEST(CostEventEncoder, IdsAreStableAndFollowTheAmounts) {
  const auto first = Encode(kSeed);
  EXPECT_EQ(first, Encode(kSeed));
  std::string changed(kSeed);
  changed.replace(changed.find("0.2672917174"), 12, "0.2672917175");
  const auto second = Encode(changed);
  EXPECT_NE(first[0].substr(0, 60), second[0].substr(0, 60));
  // The source is part of the identity too.
  EXPECT_NE(first[0].substr(0, 60), Encode(kSeed, {"urn:other", std::nullopt})[0].substr(0, 60));
}

TEST(CostEventEncoder, EstimatedDoesNotChangeTheId) {
  std::string estimated(kSeed);
  estimated.replace(estimated.find("\"Estimated\":false"), 17, "\"Estimated\":true");
  const auto a = Encode(kSeed)[0];
  const auto b = Encode(estimated)[0];
  EXPECT_EQ(a.substr(0, 60), b.substr(0, 60));
  EXPECT_THAT(b, HasSubstr(R"("estimated":true)"));
}

TEST(CostEventEncoder, MetricOrderDoesNotChangeTheId) {
  constexpr std::string_view kAB =
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},
    "Total":{"AmortizedCost":{"Amount":"1","Unit":"USD"},"UnblendedCost":{"Amount":"2","Unit":"USD"}}}]})";
  constexpr std::string_view kBA =
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},
    "Total":{"UnblendedCost":{"Amount":"2","Unit":"USD"},"AmortizedCost":{"Amount":"1","Unit":"USD"}}}]})";
  const auto ab = Encode(kAB)[0];
  const auto ba = Encode(kBA)[0];
  EXPECT_EQ(ab.substr(0, 60), ba.substr(0, 60));
  // ...but the event keeps AWS's order.
  EXPECT_LT(ba.find("unblendedCost"), ba.find("amortizedCost"));
}

TEST(CostEventEncoder, NamesAccountsTagsAndCategories) {
  const auto lines = Encode(R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"LINKED_ACCOUNT"},
      {"Type":"TAG","Key":"team"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["111122223333","team$web"],"Metrics":{"UnblendedCost":{"Amount":"3","Unit":"USD"}}},
      {"Keys":["444455556666","team$"],"Metrics":{"UnblendedCost":{"Amount":"4","Unit":"USD"}}}]}],
    "DimensionValueAttributes":[{"Value":"111122223333","Attributes":{"description":"Prod \"EU\""}}]})");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr(R"("data":{"date":"2023-01-27","account":"111122223333",)"
                                  R"("accountName":"Prod \"EU\"","tags":{"team":"web"},)"
                                  R"("estimated":false,"unblendedCost":)"));
  EXPECT_THAT(lines[1], HasSubstr(R"("account":"444455556666","tags":{"team":""},)"));
}

TEST(CostEventEncoder, TwoTagsShareOneObjectAndCategoriesHaveTheirOwn) {
  const auto lines = Encode(R"({"GroupDefinitions":[{"Type":"COST_CATEGORY","Key":"Teams"},
      {"Type":"TAG","Key":"env"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["Teams$Platform","env$prod$eu"],"Metrics":{"UnblendedCost":{"Amount":"3","Unit":"USD"}}}]}]})");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0],
              HasSubstr(R"("costCategories":{"Teams":"Platform"},"tags":{"env":"prod$eu"})"));
  const auto two_tags =
      Encode(R"({"GroupDefinitions":[{"Type":"TAG","Key":"a"},{"Type":"TAG","Key":"b"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["a$1","b$2"],"Metrics":{"UnblendedCost":{"Amount":"3","Unit":"USD"}}}]}]})");
  EXPECT_THAT(two_tags[0], HasSubstr(R"("tags":{"a":"1","b":"2"},"estimated")"));
}

TEST(CostEventEncoder, OtherDimensionsBecomeLowerCamelCase) {
  const auto lines = Encode(R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"USAGE_TYPE"},
      {"Type":"DIMENSION","Key":"REGION"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["EU-BoxUsage:t3.micro","eu-west-1"],"Metrics":{"UsageQuantity":{"Amount":"24","Unit":"Hrs"}}}]}]})");
  EXPECT_THAT(lines[0], HasSubstr(R"("usageType":"EU-BoxUsage:t3.micro","region":"eu-west-1")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("usageQuantity":{"amount":"24","unit":"Hrs"})"));
}

TEST(CostEventEncoder, HourlyRowsCarryTheirStart) {
  const auto lines = Encode(R"({"ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27T05:00:00Z",
    "End":"2023-01-27T06:00:00Z"},"Total":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}]})");
  EXPECT_THAT(lines[0], HasSubstr(R"("type":"amazon.billing.hourly")"));
  EXPECT_THAT(
      lines[0],
      HasSubstr(R"("time":"2023-01-27T05:00:00Z","data":{"start":"2023-01-27T05:00:00Z",)"));
}

TEST(CostEventEncoder, LongPeriodsAreMonthlyUnlessTold) {
  constexpr std::string_view kMonth = R"({"ResultsByTime":[{"TimePeriod":{"Start":"2023-01-15",
    "End":"2023-02-01"},"Total":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}]})";
  EXPECT_THAT(Encode(kMonth)[0], HasSubstr(R"("type":"amazon.billing.monthly")"));
  EXPECT_THAT(Encode(kMonth, {"cloud.amazon.billing", ce::Granularity::kDaily})[0],
              HasSubstr(R"("type":"amazon.billing.daily")"));
}

TEST(CostEventEncoder, ThePeriodMemberFollowsTheForcedType) {
  constexpr std::string_view kHour =
      R"({"ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27T00:00:00Z",
    "End":"2023-01-28T00:00:00Z"},"Total":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}]})";
  EXPECT_THAT(Encode(kHour, {"cloud.amazon.billing", ce::Granularity::kDaily})[0],
              HasSubstr(R"("type":"amazon.billing.daily","datacontenttype":"application/json",)"
                        R"("time":"2023-01-27T00:00:00Z","data":{"date":"2023-01-27",)"));
  EXPECT_THAT(Encode(kSeed, {"cloud.amazon.billing", ce::Granularity::kHourly})[0],
              HasSubstr(R"("time":"2023-01-27T00:00:00Z",)"
                        R"("partitionkey":"Amazon Relational Database Service",)"
                        R"("data":{"start":"2023-01-27T00:00:00Z",)"));
}

TEST(CostEventEncoder, ThePartitionKeyIsTheAccountElseTheService) {
  const auto lines = Encode(R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"},
    {"Type":"DIMENSION","Key":"LINKED_ACCOUNT"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["Amazon EC2","123456789012"],"Metrics":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}},
      {"Keys":["Amazon \"S3\"",""],"Metrics":{"UnblendedCost":{"Amount":"2","Unit":"USD"}}}]}]})");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr(R"("time":"2023-01-27T00:00:00Z","partitionkey":"123456789012",)"
                                  R"("data":{)"));
  // An empty account cannot be a partition key (the extension requires a non-empty string).
  EXPECT_THAT(lines[1], HasSubstr(R"("partitionkey":"Amazon \"S3\"","data":{)"));

  // Neither grouped by account nor by service: no partition key at all.
  const auto tagged = Encode(R"({"GroupDefinitions":[{"Type":"TAG","Key":"team"},
    {"Type":"DIMENSION","Key":"REGION"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["team$web","eu-west-1"],"Metrics":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}]}]})");
  EXPECT_THAT(tagged[0], Not(HasSubstr("partitionkey")));
  EXPECT_THAT(tagged[0], HasSubstr(R"("time":"2023-01-27T00:00:00Z","data":{)"));
}

TEST(CostEventEncoder, EscapesOddServiceNames) {
  const auto lines = Encode(R"({"GroupDefinitions":[{"Type":"DIMENSION","Key":"SERVICE"}],
    "ResultsByTime":[{"TimePeriod":{"Start":"2023-01-27","End":"2023-01-28"},"Groups":[
      {"Keys":["Kinesis \"Data\" \\ Überwachung\n東京"],"Metrics":{"UnblendedCost":{"Amount":"-1.5","Unit":"USD"}}}]}]})");
  EXPECT_THAT(lines[0], HasSubstr(R"("service":"Kinesis \"Data\" \\ Überwachung\n東京")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("amount":"-1.5")"));
}

TEST(CostEventEncoder, RefusesAPeriodItCannotRead) {
  const auto lines = Encode(R"({"ResultsByTime":[{"TimePeriod":{"Start":"yesterday",
    "End":"today"},"Total":{"UnblendedCost":{"Amount":"1","Unit":"USD"}}}]})");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("ERROR TimePeriod.Start \"yesterday\" is not a date or hour"));
}

TEST(InferGranularity, ReadsThePeriod) {
  EXPECT_EQ(*InferGranularity("2023-01-27", "2023-01-28"), ce::Granularity::kDaily);
  EXPECT_EQ(*InferGranularity("2023-01-01", "2023-02-01"), ce::Granularity::kMonthly);
  EXPECT_EQ(*InferGranularity("2023-01-27T00:00:00Z", "2023-01-27T01:00:00Z"),
            ce::Granularity::kHourly);
  EXPECT_FALSE(InferGranularity("2023-01-28", "2023-01-27"));
}

}  // namespace
}  // namespace costwatch::events
