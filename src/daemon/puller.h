// One pull of one source: query Cost Explorer for the window that can still change, turn the
// rows into events, and record rows and events in the state store in one transaction, which
// queues only new and restated events for the sinks.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "aws/json_client.h"
#include "costexplorer/client.h"
#include "costexplorer/request.h"
#include "store/state_store.h"
#include "util/result.h"

namespace costwatch::daemon {

struct SourceSettings {
  std::string name;
  std::string event_source;     // the events' `source` attribute
  ce::CostAndUsageQuery query;  // dates are replaced by the pull window
  int lookback_days = 3;
};

// The window a scheduled pull fetches on `today` (UTC): the last `lookback_days` days, which
// Cost Explorer may still restate; for monthly sources the months those days fall in; for
// hourly ones the same days in hours.
ce::CostAndUsageQuery PullQuery(const SourceSettings& source, std::chrono::sys_days today);

struct PullSummary {
  int pages = 0;
  int paid_requests = 0;
  store::RecordSummary recorded;
};

// How far a pull has come, after each page: for a progress display.
struct PullProgress {
  int pages = 0;
  long long rows = 0;
  int paid_requests = 0;
};
using PullProgressCallback = std::function<void(const PullProgress&)>;

class SourcePuller {
 public:
  SourcePuller(SourceSettings source, aws::JsonServiceClient& service, store::StateStore& store,
               std::vector<std::string> sink_names);

  // Fetches `query` (every page), records the rows and queues changed events. Paid requests
  // are counted in the store whether or not the pull succeeds. `on_progress`, when set, hears
  // after each page.
  Result<PullSummary> pull(const ce::CostAndUsageQuery& query,
                           std::chrono::system_clock::time_point now,
                           const PullProgressCallback& on_progress = nullptr);

  [[nodiscard]] const SourceSettings& settings() const { return source_; }

 private:
  SourceSettings source_;
  aws::JsonServiceClient& service_;
  ce::CostExplorerClient client_;
  store::StateStore& store_;
  std::vector<std::string> sink_names_;
};

}  // namespace costwatch::daemon
