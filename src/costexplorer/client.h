// Cost Explorer over the network: GetCostAndUsage with every page of the answer, and
// GetCostForecast.
#pragma once

#include <functional>
#include <string>

#include "aws/json_client.h"
#include "costexplorer/cost_and_usage.h"
#include "costexplorer/forecast.h"
#include "costexplorer/request.h"
#include "util/result.h"

namespace costwatch::ce {

struct FetchSummary {
  int pages = 0;
  long long rows = 0;
};

// Called after each page has been read and its rows handed out, with the totals so far.
using PageCallback = std::function<void(const FetchSummary&)>;

class CostExplorerClient {
 public:
  explicit CostExplorerClient(aws::JsonServiceClient& service) : service_(service) {}

  // Sends the query and follows NextPageToken to the last page, calling `on_row` for each row
  // of a page once the page has been read and checked, then `on_page` (when set).
  // The query must have passed Validate().
  Result<FetchSummary> get_cost_and_usage(const CostAndUsageQuery& query, const RowCallback& on_row,
                                          const PageCallback& on_page = nullptr);

  // One GetCostForecast request (a paid one, $0.01, counted in the service's stats like any
  // other). DataUnavailableException comes back as a ForecastUnavailable, not as an error;
  // errors are failures: the network, credentials, a refusal, an unreadable reply. The query
  // must have passed Validate().
  Result<ForecastAnswer> forecast(const CostForecastQuery& query);

 private:
  aws::JsonServiceClient& service_;
};

}  // namespace costwatch::ce
