#include "alarms/cloudwatch/alarm_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace costwatch::alarms::cloudwatch {
namespace {

using ::testing::HasSubstr;

TEST(AlarmThreshold, AcceptsPositiveDecimalsAndCanonicalisesThemAsText) {
  EXPECT_EQ(*ParseThreshold("10"), "10");
  EXPECT_EQ(*ParseThreshold("010.50"), "10.5");
  EXPECT_EQ(*ParseThreshold("0.01"), "0.01");
  EXPECT_EQ(*ParseThreshold("1250.00"), "1250");
  EXPECT_EQ(*ParseThreshold("123456789012.345"), "123456789012.345");
  for (std::string_view bad : {"", "0", "0.00", "-5", "+5", "1e3", "ten", "1.", ".5", "1.2.3",
                               " 10", "10 ", "NaN", "1234567890123.456"}) {
    EXPECT_FALSE(ParseThreshold(bad).ok()) << bad;
  }
  EXPECT_THAT(ParseThreshold("ten").error().message,
              HasSubstr("--threshold \"ten\" is not a positive decimal"));
}

TEST(AlarmThreshold, CanonicalDecimalReadsWhatAwsPrints) {
  EXPECT_EQ(CanonicalDecimal("10.0"), "10");
  EXPECT_EQ(CanonicalDecimal("1.0E7"), "10000000");
  EXPECT_EQ(CanonicalDecimal("1.25E-2"), "0.0125");
  EXPECT_EQ(CanonicalDecimal("0.0"), "0");
  EXPECT_EQ(CanonicalDecimal("12.50"), "12.5");
  EXPECT_EQ(CanonicalDecimal("1E"), std::nullopt);
  EXPECT_EQ(CanonicalDecimal("abc"), std::nullopt);
}

TEST(AlarmSpec, ValidatesEveryFlag) {
  BillingAlarmSpec spec;
  spec.name = "monthly-10usd";
  spec.threshold = "10.00";
  spec.emails = {"b@example.com", "a+billing@example.com", "b@example.com"};
  spec.service = "AmazonEC2";
  spec.linked_account = "123456789012";
  ASSERT_TRUE(ValidateSpec(spec).ok());
  EXPECT_EQ(spec.threshold, "10");
  EXPECT_EQ(spec.emails, (std::vector<std::string>{"a+billing@example.com", "b@example.com"}));
  EXPECT_EQ(
      BillingDimensions(spec),
      (std::vector<std::pair<std::string, std::string>>{
          {"Currency", "USD"}, {"ServiceName", "AmazonEC2"}, {"LinkedAccount", "123456789012"}}));
  EXPECT_EQ(AlarmNameFor(spec.name), "costwatch-monthly-10usd");

  auto bad = [&](auto change) {
    BillingAlarmSpec copy = spec;
    change(copy);
    auto result = ValidateSpec(copy);
    return result.ok() ? std::string("ok") : result.error().message;
  };
  EXPECT_THAT(bad([](auto& s) { s.name = "has space"; }), HasSubstr("--name"));
  EXPECT_THAT(bad([](auto& s) { s.name = std::string(65, 'a'); }), HasSubstr("--name"));
  EXPECT_THAT(bad([](auto& s) { s.currency = "usd"; }), HasSubstr("--currency"));
  EXPECT_THAT(bad([](auto& s) { s.emails = {}; }), HasSubstr("at least one --email"));
  EXPECT_THAT(bad([](auto& s) { s.linked_account = "12345"; }), HasSubstr("--linked-account"));
  for (const char* email :
       {"not-an-email", "@example.com", "a@b", "a@b.", "a b@example.com",
        "a@example.com,b@example.com", "a@@example.com", "a@.com", "Name <a@example.com>"}) {
    EXPECT_THAT(bad([&](auto& s) { s.emails = {email}; }), HasSubstr("--email")) << email;
  }
  EXPECT_THAT(bad([](auto& s) { s.emails = {"line\nbreak@example.com"}; }),
              ::testing::Not(HasSubstr("\n")));
}

}  // namespace
}  // namespace costwatch::alarms::cloudwatch
