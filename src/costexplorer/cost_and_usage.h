// Reading GetCostAndUsage answers: from the API, or from files the AWS CLI wrote.
//
// Rows are handed to a callback as views into the parsed document instead of being copied
// into objects; a backfill converts hundreds of thousands of them.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "costexplorer/request.h"
#include "util/result.h"

namespace costwatch::ce {

struct GroupDefinition {
  std::string type;  // DIMENSION, TAG, COST_CATEGORY
  std::string key;   // SERVICE, the tag key, ...
};

// What one answer (one page) says besides its rows.
struct CostAndUsagePage {
  std::vector<GroupDefinition> group_definitions;
  // From DimensionValueAttributes: linked account id -> account name.
  std::map<std::string, std::string, std::less<>> account_names;
  std::string next_page_token;  // empty on the last page
};

struct MetricValue {
  std::string_view name;    // AmortizedCost
  std::string_view amount;  // "0.2672917174", exactly as AWS sent it
  std::string_view unit;    // "USD"
};

// One row: a group of one period, or the period's total when nothing was grouped. The views
// are valid only during the callback.
struct CostRow {
  std::string_view start;  // TimePeriod.Start as sent: 2023-01-27 or 2023-01-27T05:00:00Z
  std::string_view end;
  bool estimated = false;
  std::span<const std::string_view> keys;  // one per group definition
  std::span<const MetricValue> metrics;    // in the order AWS sent them
};

using RowCallback = std::function<void(const CostAndUsagePage&, const CostRow&)>;

// Parses GetCostAndUsage answers. Reuse one reader for many documents: it keeps its buffers.
class CostAndUsageReader {
 public:
  CostAndUsageReader();
  ~CostAndUsageReader();
  CostAndUsageReader(const CostAndUsageReader&) = delete;
  CostAndUsageReader& operator=(const CostAndUsageReader&) = delete;

  // Checks the whole document first and calls `on_row` only when all of it is valid, so a
  // bad answer produces no rows at all. Unknown members are ignored, as the AWS SDKs do: AWS
  // adds fields to answers over time.
  Result<CostAndUsagePage> read(std::string_view json, const RowCallback& on_row);
  Result<CostAndUsagePage> read_file(const std::string& path, const RowCallback& on_row);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace costwatch::ce
