#include "metrics/exposition.h"

#include <gtest/gtest.h>

#include <chrono>

namespace costwatch::metrics {
namespace {

TEST(ExpositionTest, WritesHelpAndTypeBeforeTheFirstSample) {
  Exposition out;
  out.family("costwatch_x_total", "counter", "Things.\nMore \\ things.");
  out.sample({{"sink", "a"}}, "1");
  out.sample({{"sink", "b"}, {"kind", "z"}}, "2");
  EXPECT_EQ(out.take(),
            "# HELP costwatch_x_total Things.\\nMore \\\\ things.\n"
            "# TYPE costwatch_x_total counter\n"
            "costwatch_x_total{sink=\"a\"} 1\n"
            "costwatch_x_total{sink=\"b\",kind=\"z\"} 2\n");
}

TEST(ExpositionTest, AFamilyWithoutSamplesLeavesNoTrace) {
  Exposition out;
  out.family("costwatch_empty", "gauge", "Nothing.");
  out.family("costwatch_up", "gauge", "Up.");
  out.sample({}, "1");
  EXPECT_EQ(out.take(), "# HELP costwatch_up Up.\n# TYPE costwatch_up gauge\ncostwatch_up 1\n");
}

TEST(ExpositionTest, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"
                             "\n"
                             "d"),
            R"(a\\b\"c\nd)");
  EXPECT_EQ(EscapeLabelValue("Amazon Elastic Compute Cloud - Compute"),
            "Amazon Elastic Compute Cloud - Compute");
}

TEST(ExpositionTest, FormatsSecondsWithMilliseconds) {
  using namespace std::chrono;
  const system_clock::time_point at{milliseconds(1'732'900'000'042)};
  EXPECT_EQ(FormatSeconds(at), "1732900000.042");
  EXPECT_EQ(FormatSeconds(system_clock::time_point{seconds(5)}), "5.000");
}

}  // namespace
}  // namespace costwatch::metrics
