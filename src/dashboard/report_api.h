// /api/report: the report module's figures (src/report) for a checked query, as the report's
// JSON, the same document `costwatch report --output json` prints.
#pragma once

#include <chrono>

#include "config/config.h"
#include "dashboard/report_query.h"
#include "store/state_store.h"
#include "web/router.h"

namespace costwatch::dashboard {

// 200 with the report's JSON; 400 when the query cannot be answered for this config (e.g.
// by=account on a source not grouped by account); 500 when the state cannot be read.
web::Response ReportAnswer(store::StateStore& store, const config::Config& config,
                           const ReportQuery& query, std::chrono::system_clock::time_point now);

}  // namespace costwatch::dashboard
