// A GetCostAndUsage query: what the user asked for, checked before a paid request is sent.
//
// Every request to Cost Explorer costs $0.01, so everything AWS would refuse that we can know
// locally is refused here with a message naming the flag to fix.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::ce {

enum class Granularity { kDaily, kHourly, kMonthly };

std::string_view ToString(Granularity granularity);  // "DAILY", ...
Result<Granularity> ParseGranularity(std::string_view text);

struct GroupBy {
  std::string type;  // DIMENSION, TAG or COST_CATEGORY
  std::string key;   // SERVICE, a tag key, a cost category name

  bool operator==(const GroupBy&) const = default;
};

// "SERVICE", "DIMENSION:REGION", "TAG:team", "COST_CATEGORY:Teams" (case of the type and of
// dimension names does not matter; tag keys and category names are case-sensitive).
Result<GroupBy> ParseGroupBy(std::string_view text);

struct CostAndUsageQuery {
  std::string start;  // YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ for HOURLY; inclusive
  std::string end;    // exclusive
  Granularity granularity = Granularity::kDaily;
  std::vector<std::string> metrics = {"AmortizedCost"};
  std::vector<GroupBy> group_by = {{"DIMENSION", "SERVICE"}};
  std::string filter_json;  // an Expression object, verbatim; empty for none
};

// Cost Explorer wants hours for HOURLY queries: a bound given as a plain date becomes its
// midnight (UTC). Other granularities are left as they are.
void UseHoursIfHourly(CostAndUsageQuery& query);

// Checks the query as Cost Explorer would, against `today` (UTC) for the HOURLY window.
Result<void> Validate(const CostAndUsageQuery& query, std::chrono::sys_days today);

// Checks a Filter (an Expression object, as JSON) the way Cost Explorer would: the same
// filter serves GetCostAndUsage and GetCostForecast.
Result<void> ValidateFilter(const std::string& filter_json);

// The JSON 1.1 request body, with NextPageToken when continuing a paginated answer.
std::string ToRequestJson(const CostAndUsageQuery& query, std::string_view next_page_token = {});

// The metric names GetCostAndUsage accepts.
std::span<const std::string_view> KnownMetrics();

}  // namespace costwatch::ce
