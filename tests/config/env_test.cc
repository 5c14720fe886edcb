#include "config/env.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace costwatch::config {
namespace {

using testing::MapEnv;

TEST(ConfigEnv, ExpandsSetVariables) {
  auto out = ExpandEnv("Bearer ${TOKEN}", MapEnv({{"TOKEN", "s3cr3t"}}));
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->value, "Bearer s3cr3t");
  EXPECT_EQ(out->environment_values, std::vector<std::string>{"s3cr3t"});
}

TEST(ConfigEnv, DefaultWhenUnsetOrEmpty) {
  EXPECT_EQ(ExpandEnv("${A:-/var/lib}", MapEnv())->value, "/var/lib");
  EXPECT_EQ(ExpandEnv("${A:-/var/lib}", MapEnv({{"A", ""}}))->value, "/var/lib");
  auto set = ExpandEnv("${A:-x}", MapEnv({{"A", "y"}}));
  EXPECT_EQ(set->value, "y");
  EXPECT_EQ(set->environment_values.size(), 1U);
  EXPECT_TRUE(ExpandEnv("${A:-x}", MapEnv())->environment_values.empty());
  EXPECT_EQ(ExpandEnv("${A:-}", MapEnv())->value, "");
}

TEST(ConfigEnv, SetButEmptyCountsAsSet) {
  auto out = ExpandEnv("[${A}]", MapEnv({{"A", ""}}));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->value, "[]");
}

TEST(ConfigEnv, MissingVariablesAreNamed) {
  auto one = ExpandEnv("${TOKEN}", MapEnv());
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().message, "environment variable TOKEN is not set");
  auto two = ExpandEnv("${A}${B}${A}", MapEnv());
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().message, "environment variables A and B are not set");
}

TEST(ConfigEnv, DollarsThatAreNotReferences) {
  EXPECT_EQ(ExpandEnv("$$HOME and $HOME and $", MapEnv())->value, "$HOME and $HOME and $");
  EXPECT_EQ(ExpandEnv("$${X}", MapEnv())->value, "${X}");
}

TEST(ConfigEnv, MalformedReferences) {
  EXPECT_FALSE(ExpandEnv("${UNCLOSED", MapEnv()).ok());
  EXPECT_FALSE(ExpandEnv("${}", MapEnv()).ok());
  EXPECT_FALSE(ExpandEnv("${1A}", MapEnv()).ok());
  EXPECT_FALSE(ExpandEnv("${A-B}", MapEnv()).ok());
}

TEST(ConfigEnv, ProcessEnvLookupReadsTheEnvironment) {
  const EnvLookup env = ProcessEnvLookup();
  EXPECT_FALSE(env("COSTWATCH_SURELY_UNSET_VARIABLE").has_value());
  EXPECT_TRUE(env("PATH").has_value());
}

}  // namespace
}  // namespace costwatch::config
