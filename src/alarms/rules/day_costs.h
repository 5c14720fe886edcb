// The costs the rules look at, read back from the events stored in the state database: one
// amount per day and group, exact. The events' data is the documented contract
// (docs/events.md), so the rules need nothing that a consumer of the events could not see.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alarms/rules/rule_config.h"
#include "store/state_store.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::alarms {

struct DayCost {
  std::string day;  // YYYY-MM-DD (an hourly row counts for its UTC day)
  std::string service;
  std::string account;
  std::vector<std::pair<std::string, std::string>> tags;
  Decimal amount;
  std::string unit;
  std::string account_name;  // accountName, when the answer named the account
  std::string record_type;   // recordType (Usage, Credit, Refund, ...) when grouped by it
};

// Reads `metric` (e.g. UnblendedCost) of each row. A row without the metric or with an amount
// that is not a decimal is an error naming the row: the state database holds what costwatch
// wrote, so this means corruption, and a rule must not silently count it as zero.
Result<std::vector<DayCost>> ReadDayCosts(std::span<const store::StoredRow> rows,
                                          std::string_view metric);

// Whether the cost is inside the rule's scope (service, account, tag).
bool InScope(const DayCost& cost, const RuleScope& scope);

// "all costs", "service Amazon EC2", "account 123456789012 and tag team=web".
std::string DescribeScope(const RuleScope& scope);

}  // namespace costwatch::alarms
