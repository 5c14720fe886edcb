// Small exact data for the report's tests.
#pragma once

#include <string>
#include <vector>

#include "report/report.h"
#include "util/dates.h"

namespace costwatch::report::testing {

inline Day D(const char* text) {
  return *ParseDate(text);
}

inline alarms::DayCost Cost(std::string day, std::string service, const char* amount,
                            std::string record_type = "Usage") {
  alarms::DayCost cost;
  cost.day = std::move(day);
  cost.service = std::move(service);
  cost.record_type = std::move(record_type);
  cost.amount = *Decimal::Parse(amount);
  cost.unit = "USD";
  return cost;
}

// November 2026 to the 4th against the same days of October: EC2 29.00 (with a credit),
// S3 1.000 (new), Lambda only in October; a day outside both periods and today's partial day.
inline std::vector<alarms::DayCost> SampleCosts() {
  return {Cost("2026-11-01", "Amazon EC2", "10.10"),
          Cost("2026-11-02", "Amazon EC2", "20.20"),
          Cost("2026-11-03", "Amazon EC2", "-1.30", "Credit"),
          Cost("2026-11-01", "Amazon S3", "0.333"),
          Cost("2026-11-03", "Amazon S3", "0.667"),
          Cost("2026-10-01", "Amazon EC2", "15.00"),
          Cost("2026-10-03", "Amazon EC2", "5.00"),
          Cost("2026-10-02", "AWS Lambda", "2.5"),
          Cost("2026-10-04", "AWS Lambda", "99"),   // after the same days of October
          Cost("2026-11-04", "Amazon EC2", "50")};  // today: not complete
}

inline Report Compute(const ReportQuery& query, const std::vector<alarms::DayCost>& costs,
                      Day today, ReportInputs inputs = {}) {
  auto period = PlanReport(query, today);
  EXPECT_TRUE(period.ok()) << period.error().message;
  inputs.costs = costs;
  auto report = ComputeReport(query, *period, inputs, today);
  EXPECT_TRUE(report.ok()) << report.error().message;
  return report.ok() ? *report : Report{};
}

}  // namespace costwatch::report::testing
