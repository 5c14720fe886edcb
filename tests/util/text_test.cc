#include "util/text.h"

#include <gtest/gtest.h>

#include <array>

namespace costwatch {
namespace {

TEST(LowerCamelCase, MetricNamesLoseTheirFirstCapital) {
  EXPECT_EQ(LowerCamelCase("AmortizedCost"), "amortizedCost");
  EXPECT_EQ(LowerCamelCase("NormalizedUsageAmount"), "normalizedUsageAmount");
}

TEST(LowerCamelCase, DimensionNamesAreJoinedAtUnderscores) {
  EXPECT_EQ(LowerCamelCase("SERVICE"), "service");
  EXPECT_EQ(LowerCamelCase("USAGE_TYPE"), "usageType");
  EXPECT_EQ(LowerCamelCase("LEGAL_ENTITY_NAME"), "legalEntityName");
  EXPECT_EQ(LowerCamelCase("AZ"), "az");
}

TEST(Split, KeepsEmptyFields) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string_view>{""}));
}

TEST(Trim, RemovesSurroundingWhitespace) {
  EXPECT_EQ(Trim(" \t x y \r\n"), "x y");
}

TEST(ClosestMatch, FindsTyposButNotStrangers) {
  constexpr std::array<std::string_view, 3> kNames = {"AmortizedCost", "UnblendedCost",
                                                      "UsageQuantity"};
  EXPECT_EQ(ClosestMatch("AmortisedCost", kNames), "AmortizedCost");
  EXPECT_EQ(ClosestMatch("unblendedcost", kNames), "UnblendedCost");
  EXPECT_EQ(ClosestMatch("Price", kNames), "");
}

}  // namespace
}  // namespace costwatch
