// What the config file says about each local alarm rule (docs/alarms.md describes the rules,
// docs/config.md every key). The config module fills these and checks them against the sources.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/decimal.h"

namespace costwatch::alarms {

enum class RuleKind {
  kMonthToDate,  // the month's spend so far against a fixed amount (what EstimatedCharges does)
  kBudget,       // a month/quarter/year budget with percentage thresholds, like AWS Budgets
  kSpike,        // a day against its trailing baseline, like Cost Anomaly Detection
};

enum class BudgetPeriod { kMonth, kQuarter, kYear };

enum class Basis {
  kActual,    // spend so far in the period
  kForecast,  // spend so far plus GetCostForecast for the rest of the period
};

struct BudgetThreshold {
  Decimal percent;  // of the budget's amount
  Basis basis = Basis::kActual;
};

// Which costs a rule looks at; empty fields mean "all". Each needs the source to group by it.
struct RuleScope {
  std::string service;    // dimension SERVICE
  std::string account;    // dimension LINKED_ACCOUNT
  std::string tag_key;    // a TAG group-by
  std::string tag_value;  // "" matches resources without the tag
  bool has_tag = false;
};

// What a spike rule compares per alarm: the total, or each service/account on its own.
enum class SpikeBy { kTotal, kService, kAccount };

struct RuleConfig {
  std::string name;
  std::string description;  // free text for people, shown in notifications
  RuleKind kind = RuleKind::kMonthToDate;
  std::string source;  // filled by the loader when the file has one source
  std::string metric;  // a cost metric of the source; default its first
  RuleScope scope;

  Decimal threshold;  // month_to_date

  BudgetPeriod period = BudgetPeriod::kMonth;  // budget
  Decimal budget;
  std::vector<BudgetThreshold> thresholds;

  int baseline_days = 14;  // spike
  std::optional<Decimal> min_impact;
  std::optional<Decimal> min_percent;
  SpikeBy by = SpikeBy::kTotal;

  std::vector<std::string> notify;  // notifier names; empty: every notifier
  std::optional<std::chrono::seconds> remind_every;
};

}  // namespace costwatch::alarms
