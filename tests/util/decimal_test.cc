#include "util/decimal.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace costwatch {
namespace {

Decimal D(std::string_view text) {
  auto value = Decimal::Parse(text);
  EXPECT_TRUE(value.ok()) << text << ": " << (value.ok() ? "" : value.error().message);
  return value.ok() ? *value : Decimal();
}

TEST(DecimalTest, ParsesTheFormsAwsSends) {
  EXPECT_EQ(D("0.2672917174").ToString(), "0.2672917174");
  EXPECT_EQ(D("-0.0000001").ToString(), "-0.0000001");
  EXPECT_EQ(D("12").ToString(), "12");
  EXPECT_EQ(D("+3.25").ToString(), "3.25");
  EXPECT_EQ(D("1.5E-7").ToString(), "0.00000015");
  EXPECT_EQ(D("2.5e+3").ToString(), "2500");
  EXPECT_EQ(D(".5").ToString(), "0.5");
  EXPECT_EQ(D("5.").ToString(), "5");
  EXPECT_EQ(D("0E-10").ToString(), "0.0000000000");
}

TEST(DecimalTest, RefusesWhatIsNotADecimalNamingIt) {
  for (const char* text : {"", "-", "abc", "1.2.3", "1e", "1e+", "0x10", "1,5", " 1", "1 ", "NaN",
                           "Infinity", "1e-9999"}) {
    auto value = Decimal::Parse(text, "threshold");
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_NE(value.error().message.find("threshold"), std::string::npos);
  }
  EXPECT_FALSE(Decimal::Parse("0.000000000000000000001").ok());    // 21 places
  EXPECT_TRUE(Decimal::Parse("0.100000000000000000000000").ok());  // only zeros past 20
  EXPECT_FALSE(Decimal::Parse("1000000000000000").ok());           // 10^15
  EXPECT_TRUE(Decimal::Parse("999999999999999.99").ok());
}

TEST(DecimalTest, SumsExactlyWhereDoubleDrifts) {
  // 0.1 added ten thousand times is 1000 exactly; in double it is 1000.0000000001588.
  Decimal sum;
  double drift = 0;
  for (int i = 0; i < 10000; ++i) {
    sum += D("0.1");
    drift += 0.1;
  }
  EXPECT_EQ(sum, D("1000"));
  EXPECT_NE(drift, 1000.0);
  EXPECT_EQ(sum.ToString(), "1000.0");
  EXPECT_EQ((D("0.2672917174") + D("1.5") - D("0.0000000001")).ToString(), "1.7672917173");
}

TEST(DecimalTest, ComparesAcrossScales) {
  EXPECT_EQ(D("10"), D("10.000"));
  EXPECT_LT(D("9.9999999999"), D("10"));
  EXPECT_GT(D("-0.1"), D("-0.2"));
  EXPECT_LT(D("-1"), D("0.0000001"));
  EXPECT_TRUE(D("-0.00").is_zero());
}

TEST(DecimalTest, MultipliesAndDividesForThresholdsAndShares) {
  EXPECT_EQ((D("1000") * D("0.8")).ToShortString(), "800");
  EXPECT_EQ((D("12.34") * D("-3")).ToString(), "-37.02");
  EXPECT_EQ(D("2").DividedBy(D("3"), 4).ToString(), "0.6667");
  EXPECT_EQ(D("-2").DividedBy(D("3"), 2).ToString(), "-0.67");
  EXPECT_EQ(D("1").DividedBy(D("8"), 2).ToString(), "0.13");  // half away from zero
  EXPECT_EQ(D("45.5").DividedBy(D("0.5"), 0).ToString(), "91");
}

TEST(DecimalTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(D("2.345").Rounded(2).ToString(), "2.35");
  EXPECT_EQ(D("-2.345").Rounded(2).ToString(), "-2.35");
  EXPECT_EQ(D("2.344999").Rounded(2).ToString(), "2.34");
  EXPECT_EQ(D("7").Rounded(2).ToString(), "7");
  EXPECT_EQ(D("0.004").Rounded(2).ToShortString(), "0");
  EXPECT_EQ(D("-0.004").Rounded(2).ToShortString(), "0");
}

}  // namespace
}  // namespace costwatch

namespace costwatch {
namespace {

TEST(DecimalTest, ToFixedPadsAndRoundsToExactlyThePlacesAsked) {
  EXPECT_EQ(Decimal::Parse("12.4")->ToFixed(2), "12.40");
  EXPECT_EQ(Decimal::Parse("12")->ToFixed(2), "12.00");
  EXPECT_EQ(Decimal::Parse("0.005")->ToFixed(2), "0.01");
  EXPECT_EQ(Decimal::Parse("-0.2672917174")->ToFixed(2), "-0.27");
  EXPECT_EQ(Decimal::Parse("7.5")->ToFixed(0), "8");
}

}  // namespace
}  // namespace costwatch
