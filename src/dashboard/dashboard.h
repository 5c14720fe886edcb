// The web dashboard: the page (embedded assets) and the JSON APIs it reads, as routes of a
// web::Router. docs/dashboard.md describes what it shows and each API.
//
// Handlers run on the server's threads, several at once. Each request opens the state database
// read-only and without the daemon's lock (store::OpenMode::kInspect, as `costwatch status`
// does), so the dashboard works beside a running daemon and never shares its connection.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>

#include "config/config.h"
#include "web/router.h"

namespace costwatch::dashboard {

using Clock = std::chrono::system_clock;

struct Context {
  std::filesystem::path state_path;  // the state database the daemon writes
  config::Config config;             // sources, sinks, notifiers and alarm rules
  std::function<Clock::time_point()> now = [] { return Clock::now(); };  // tests fix the time
};

// Registers / (the page), its assets, /api/report, /api/alarms and /api/health.
void AddRoutes(web::Router& router, const Context& context);

}  // namespace costwatch::dashboard
