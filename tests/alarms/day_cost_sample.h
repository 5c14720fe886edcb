// A DayCost for the tests of what reads stored costs (digests, report).
#pragma once

#include <string>

#include "alarms/rules/day_costs.h"

namespace costwatch::alarms::testing {

inline DayCost Cost(std::string day, std::string service, const char* amount,
                    std::string record_type = "Usage") {
  DayCost cost;
  cost.day = std::move(day);
  cost.service = std::move(service);
  cost.record_type = std::move(record_type);
  cost.amount = *Decimal::Parse(amount);
  cost.unit = "USD";
  return cost;
}

}  // namespace costwatch::alarms::testing
