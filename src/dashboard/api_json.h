// The JSON answers of /api/alarms and /api/health, as pure functions of what the state store
// returned and the config, so each is tested on exact figures without a server.
// docs/dashboard.md documents both shapes.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "config/config.h"
#include "store/state_store.h"

namespace costwatch::dashboard {

// Every alarm rule of the config with its alarms' current states and their history (oldest
// change first), then alarms of rules no longer configured. `history` is newest first, as
// store::StateStore::alarm_history returns it.
std::string AlarmsJson(const config::Config& config, std::span<const store::AlarmState> states,
                       std::span<const store::AlarmHistoryEntry> history,
                       std::chrono::system_clock::time_point now);

// Delivery health: each sink's and notifier's queue (configured or still holding entries),
// each source's last successful fetch, and the paid Cost Explorer requests today and this
// month with their cost.
std::string HealthJson(const config::Config& config, const store::StoreStatus& status,
                       std::chrono::system_clock::time_point now);

// {"error":"..."}: the one-line answer of a failed API request.
std::string ErrorJson(std::string_view message);

}  // namespace costwatch::dashboard
