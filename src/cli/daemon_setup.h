// Assembling the daemon from the config: the state store, the sinks, and for each source its
// AWS session, Cost Explorer client and puller. Shared by run, backfill and status.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "aws/request_counters.h"
#include "cli/alarm_setup.h"
#include "cli/aws_session.h"
#include "cli/run_command.h"
#include "config/config.h"
#include "daemon/delivery.h"
#include "daemon/puller.h"
#include "daemon/schedule.h"
#include "store/state_store.h"
#include "util/result.h"

namespace costwatch::cli {

// One source's connection to AWS.
struct SourceRuntime {
  AwsSession session;
  std::unique_ptr<http::HttplibClient> http;
  std::unique_ptr<aws::JsonServiceClient> service;
  std::unique_ptr<daemon::SourcePuller> puller;
  aws::RequestCounters requests;  // every request of `service`, for /metrics
};

// Everything `run` and `backfill` work with.
struct Daemon {
  config::Config config;
  daemon::Schedule schedule;
  std::unique_ptr<store::StateStore> store;
  std::vector<std::unique_ptr<SourceRuntime>> sources;
  std::unique_ptr<daemon::DeliveryEngine> engine;
  AlarmRuntime alarms;  // after the store and sources it refers to, so destroyed before them
};

// The config file at `path`, or the embedded defaults when there is none (one source by
// service, stdout).
Result<config::Config> LoadConfigOrDefaults(const std::string& path);

// --config, or the embedded defaults when there is none. Prints the config's security
// warnings.
Result<Daemon> OpenDaemon(const RunOptions& options);

// config::SecurityWarnings on stderr, one line each: at every start of run, backfill and serve.
void PrintSecurityWarnings(const config::Config& config);

// The embedded defaults: yesterday's spend by service from the default credentials, pulled
// daily at 02:00 UTC, printed on stdout, state in the default place.
config::Config DefaultConfig();

// --state, else the config's state path, else $XDG_STATE_HOME/costwatch/state.db.
Result<std::filesystem::path> StatePath(const RunOptions& options, const std::string& configured);

// That state opened read-only and without the daemon's lock, so that status, previews and
// tests work beside a running daemon.
Result<store::StateStore> InspectState(const RunOptions& options, const std::string& configured);

}  // namespace costwatch::cli
