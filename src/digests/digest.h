// Scheduled cost digests: what a daily, weekly or monthly digest says, computed from the costs
// stored in the state database alone (no Cost Explorer request), exactly, with Decimal.
// docs/digests.md describes the figures; the daemon's scheduling is in schedule.h.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "alarms/rules/day_costs.h"
#include "digests/digest_config.h"
#include "notify/digest.h"
#include "util/decimal.h"
#include "util/result.h"

namespace costwatch::digests {

using Day = std::chrono::sys_days;

inline constexpr std::string_view kBillsUrl = "https://console.aws.amazon.com/billing/home#/bills";

// The days a digest covers when it goes out on `today` (its slot's local date). Days are Cost
// Explorer's (UTC) days; every end is exclusive.
struct DigestPlan {
  Day today;
  Day start;  // the period the digest is about: yesterday, the last 7 days, the closed month
  Day end;
  Day compare_start;  // the period it is compared with
  Day compare_end;
  Day read_from;  // the stored days the figures need
  Day read_to;
};

DigestPlan PlanDigest(const DigestConfig& config, Day today);

// What the figures need besides the costs.
struct DigestInputs {
  // Cost Explorer's forecast from `today` to the end of the month, when an alarm bought one
  // today (the cached forecast); nullopt: the daily digest projects the run rate instead.
  std::optional<Decimal> forecast_rest;
  bool estimated = false;  // AWS still marks some rows of the period as estimated
  // The first day with stored costs among the days the digest reads: later than
  // plan.read_from when the state begins after it (a recent first pull, pruning), so that the
  // comparison covers only part of its days.
  std::optional<Day> stored_from;
  std::string time;  // RFC 3339 UTC, when the digest is computed
};

// The digest of `costs` (the source's costs of [plan.read_from, plan.read_to), any order).
// Amounts are exact sums; an error only for costs in more than one currency.
Result<notify::Digest> ComputeDigest(const DigestConfig& config,
                                     std::span<const alarms::DayCost> costs, const DigestPlan& plan,
                                     const DigestInputs& inputs);

// The stable id of a digest's period: "<name>-<YYYY-MM-DD of the period's start>".
std::string DigestId(const DigestConfig& config, const DigestPlan& plan);

}  // namespace costwatch::digests
