#include "costexplorer/client.h"

#include <set>

namespace costwatch::ce {
namespace {
// A guard against a service that hands out tokens for ever; a year of hourly rows for a large
// organisation is far below this.
constexpr int kMaxPages = 100000;
}  // namespace

Result<FetchSummary> CostExplorerClient::get_cost_and_usage(const CostAndUsageQuery& query,
                                                            const RowCallback& on_row,
                                                            const PageCallback& on_page) {
  FetchSummary summary;
  // A reader per query, not per client: its buffers grow to the largest page, and a daemon
  // that pulls once a day should not hold them while it waits.
  CostAndUsageReader reader;
  std::string token;
  std::set<std::string, std::less<>> seen_tokens;
  const RowCallback count_rows = [&](const CostAndUsagePage& page, const CostRow& row) {
    ++summary.rows;
    on_row(page, row);
  };
  do {
    auto body = service_.call("GetCostAndUsage", ToRequestJson(query, token));
    if (!body) return body.error();
    auto page = reader.read(*body, count_rows);
    if (!page) {
      return Fail("GetCostAndUsage answered with something costwatch cannot read (page " +
                  std::to_string(summary.pages + 1) + "): " + page.error().message);
    }
    ++summary.pages;
    if (on_page) on_page(summary);
    token = page->next_page_token;
    if (!token.empty() && !seen_tokens.insert(token).second) {
      return Fail("GetCostAndUsage returned the same NextPageToken twice; stopping");
    }
    if (summary.pages >= kMaxPages) return Fail("GetCostAndUsage returned too many pages");
  } while (!token.empty());
  return summary;
}

Result<ForecastAnswer> CostExplorerClient::forecast(const CostForecastQuery& query) {
  aws::ServiceError refused;
  auto body = service_.call("GetCostForecast", ToRequestJson(query), &refused);
  if (!body) {
    if (refused.code == "DataUnavailableException") {
      return ForecastAnswer(ForecastUnavailable{refused.message});
    }
    return body.error();
  }
  auto forecast = ParseCostForecast(*body);
  if (!forecast) {
    return Fail("GetCostForecast answered with something costwatch cannot read: " +
                forecast.error().message);
  }
  return ForecastAnswer(std::move(*forecast));
}

}  // namespace costwatch::ce
