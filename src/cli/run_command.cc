#include "cli/run_command.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "cli/aws_session.h"
#include "cli/output.h"
#include "cli/status_format.h"
#include "config/loader.h"
#include "costexplorer/endpoint.h"
#include "daemon/delivery.h"
#include "daemon/puller.h"
#include "daemon/schedule.h"
#include "sinks/sink_factory.h"
#include "store/state_store.h"
#include "util/dates.h"

namespace costwatch::cli {
namespace {

using Clock = std::chrono::system_clock;

// SIGTERM and SIGINT set the flag and wake the main loop through a pipe; everything else
// (finishing the current request, recording what was delivered) happens outside the handler.
std::atomic<bool> g_stop{false};
int g_wake[2] = {-1, -1};

void OnSignal(int) {
  g_stop = true;
  const char byte = 1;
  [[maybe_unused]] const auto ignored = ::write(g_wake[1], &byte, 1);
}

void InstallSignalHandlers() {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
}

// Sleeps until `when` or a signal, whichever comes first.
void SleepUntil(Clock::time_point when) {
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now());
  if (wait.count() <= 0 || g_stop) return;
  pollfd fd{g_wake[0], POLLIN, 0};
  ::poll(&fd, 1, static_cast<int>(std::min<long long>(wait.count(), 60'000)));
}

std::optional<std::string> GetEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// --state, else the config's state path, else $XDG_STATE_HOME/costwatch/state.db.
Result<std::filesystem::path> StatePath(const RunOptions& options, const std::string& configured) {
  if (!options.state_path.empty()) return std::filesystem::path(options.state_path);
  if (!configured.empty()) return std::filesystem::path(configured);
  return store::DefaultStatePath(GetEnv);
}

// The embedded defaults: yesterday's spend by service from the default credentials, pulled
// daily at 02:00 UTC, printed on stdout, state in the default place.
config::Config DefaultConfig() {
  config::Config config;
  config::SourceConfig source;
  source.name = "default";
  config.sources.push_back(source);
  config.sinks.push_back({"stdout", sinks::StdoutSinkOptions{}});
  return config;
}

struct SourceRuntime {
  AwsSession session;
  std::unique_ptr<http::CurlClient> http;
  std::unique_ptr<aws::JsonServiceClient> service;
  std::unique_ptr<daemon::SourcePuller> puller;
};

struct Daemon {
  config::Config config;
  daemon::Schedule schedule;
  std::unique_ptr<store::StateStore> store;
  std::vector<std::unique_ptr<SourceRuntime>> sources;
  std::unique_ptr<daemon::DeliveryEngine> engine;
};

Result<std::unique_ptr<SourceRuntime>> OpenSource(const config::SourceConfig& source,
                                                  const RunOptions& options,
                                                  store::StateStore& store,
                                                  std::vector<std::string> sink_names) {
  const std::string where = "source '" + source.name + "'";
  auto runtime = std::make_unique<SourceRuntime>();
  auto session = OpenAwsSession(source.profile);
  if (!session) return WithContext(where, session.error());
  runtime->session = std::move(*session);

  ce::EndpointSettings endpoint_settings;
  if (!options.endpoint_url.empty()) {
    endpoint_settings.endpoint_url = options.endpoint_url;
  } else if (!source.endpoint_url.empty()) {
    endpoint_settings.endpoint_url = source.endpoint_url;
  }
  if (runtime->session.profile != nullptr) {
    endpoint_settings.profile_endpoint_url = runtime->session.profile->get("endpoint_url");
  }
  endpoint_settings.region = runtime->session.region;
  auto endpoint = ce::ResolveEndpoint(*runtime->session.env, endpoint_settings);
  if (!endpoint) return WithContext(where, endpoint.error());

  runtime->http = std::make_unique<http::CurlClient>(runtime->session.http);
  runtime->service = std::make_unique<aws::JsonServiceClient>(
      *runtime->http, *runtime->session.credentials, *endpoint, "AWSInsightsIndexService",
      aws::Backoff(runtime->session.retry, aws::SystemRandom()), [] { return Clock::now(); },
      [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); });

  daemon::SourceSettings settings;
  settings.name = source.name;
  settings.event_source = source.event_source;
  settings.lookback_days = source.lookback_days;
  settings.query.granularity = source.granularity;
  settings.query.metrics = source.metrics;
  settings.query.group_by = source.group_by;
  settings.query.filter_json = source.filter_json;
  runtime->puller = std::make_unique<daemon::SourcePuller>(settings, *runtime->service, store,
                                                           std::move(sink_names));
  return runtime;
}

Result<Daemon> OpenDaemon(const RunOptions& options) {
  Daemon daemon;
  if (options.config_path.empty()) {
    daemon.config = DefaultConfig();
  } else {
    auto config = config::LoadConfig(options.config_path, config::ProcessEnvLookup());
    if (!config) return config.error();
    daemon.config = std::move(*config);
  }
  const auto& schedule = daemon.config.schedule;
  daemon.schedule = {schedule.daily_at, schedule.timezone, schedule.interval, schedule.jitter};

  auto state_path = StatePath(options, daemon.config.state_path);
  if (!state_path) return state_path.error();
  auto store = store::StateStore::Open(*state_path);
  if (!store) return store.error();
  daemon.store = std::make_unique<store::StateStore>(std::move(*store));

  std::vector<std::unique_ptr<sinks::Sink>> sinks;
  std::vector<std::string> sink_names;
  for (const auto& sink_config : daemon.config.sinks) {
    auto sink = sinks::MakeSink(sink_config);
    if (!sink) return WithContext("sink '" + sink_config.name + "'", sink.error());
    sinks.push_back(std::move(*sink));
    sink_names.push_back(sink_config.name);
  }
  daemon.engine = std::make_unique<daemon::DeliveryEngine>(
      *daemon.store, std::move(sinks), daemon::DeliveryPolicy{}, [] { return Clock::now(); },
      aws::SystemRandom());

  for (const auto& source : daemon.config.sources) {
    auto runtime = OpenSource(source, options, *daemon.store, sink_names);
    if (!runtime) return runtime.error();
    daemon.sources.push_back(std::move(*runtime));
  }
  return daemon;
}

void Report(const daemon::SourceSettings& source, const ce::CostAndUsageQuery& query,
            const daemon::PullSummary& pulled) {
  const auto& r = pulled.recorded;
  PrintNote("source '" + source.name + "': " + query.start + " to " + query.end + ": " +
            std::to_string(r.new_rows + r.changed_rows + r.unchanged_rows) + " rows (" +
            std::to_string(r.new_rows) + " new, " + std::to_string(r.changed_rows) +
            " restated), " + std::to_string(pulled.paid_requests) +
            (pulled.paid_requests == 1 ? " paid request" : " paid requests"));
}

// Pulls every source whose schedule says a pull is due. A failed pull is reported and tried
// again at the next planned time; it does not stop the daemon.
void PullDueSources(Daemon& daemon) {
  const auto now = Clock::now();
  for (auto& source : daemon.sources) {
    if (g_stop) return;
    auto& puller = *source->puller;
    auto checkpoint = daemon.store->checkpoint(puller.settings().name);
    if (!checkpoint) {
      PrintError(checkpoint.error().message);
      continue;
    }
    std::optional<Clock::time_point> last;
    if (*checkpoint) last = (*checkpoint)->fetched_at;
    auto due = daemon::PullDue(daemon.schedule, last, now);
    if (!due) {
      PrintError(due.error().message);
      continue;
    }
    if (!*due) continue;
    const auto query = daemon::PullQuery(puller.settings(), TodayUtc());
    auto pulled = puller.pull(query, now);
    if (!pulled) {
      PrintError("source '" + puller.settings().name + "': " + pulled.error().message);
      continue;
    }
    Report(puller.settings(), query, *pulled);
  }
}

// Delivers what is due; true when the outboxes are empty.
Result<bool> Deliver(Daemon& daemon) {
  auto drained = daemon.engine->drain(g_stop);
  if (!drained) return drained.error();
  if (drained->delivered > 0 || drained->dead_lettered > 0) {
    PrintNote("delivered " + std::to_string(drained->delivered) + " events" +
              (drained->dead_lettered > 0
                   ? ", " + std::to_string(drained->dead_lettered) + " rejected (dead letters)"
                   : ""));
  }
  for (const auto& name : daemon.engine->sink_names()) {
    auto depth = daemon.store->outbox_depth(name);
    if (!depth) return depth.error();
    if (*depth > 0) return false;
  }
  return true;
}

}  // namespace

void AddRunCommands(CLI::App& app, RunOptions& options) {
  auto* run = app.add_subcommand("run", "Pull on schedule and deliver events to the sinks");
  run->add_option("--config,-c", options.config_path,
                  "Config file (default: built-in: one source, stdout sink)");
  run->add_option("--state", options.state_path,
                  "State database (default: $XDG_STATE_HOME/costwatch/state.db)");
  run->add_option("--endpoint-url", options.endpoint_url,
                  "Cost Explorer endpoint for every source");
  run->add_flag("--once", options.once, "Pull what is due, deliver everything, then exit");

  auto* backfill = app.add_subcommand("backfill", "Pull a past date range and deliver it");
  backfill->add_option("--config,-c", options.config_path, "Config file");
  backfill->add_option("--state", options.state_path, "State database");
  backfill->add_option("--endpoint-url", options.endpoint_url, "Cost Explorer endpoint");
  backfill->add_option("--from", options.from, "First day, YYYY-MM-DD")->required();
  backfill->add_option("--to", options.to, "Day after the last one, YYYY-MM-DD")->required();
  backfill->add_option("--source", options.source, "Only this source");

  auto* status = app.add_subcommand("status", "Show sources, sinks, outbox and paid requests");
  status->add_option("--config,-c", options.config_path, "Config file");
  status->add_option("--state", options.state_path, "State database");
}

int RunDaemon(const RunOptions& options) {
  auto opened = OpenDaemon(options);
  if (!opened) {
    PrintError(opened.error().message);
    return 1;
  }
  Daemon& daemon = *opened;
  InstallSignalHandlers();
  while (!g_stop) {
    PullDueSources(daemon);
    auto empty = Deliver(daemon);
    if (!empty) {
      PrintError(empty.error().message);
      return 1;
    }
    if (options.once && *empty) break;
    auto wake = daemon::NextWake(daemon.schedule, Clock::now(), aws::SystemRandom()());
    if (!wake) {
      PrintError(wake.error().message);
      return 1;
    }
    // Give the memory of the pull and the delivery back before a long wait: an idle daemon
    // should be small.
    if (*empty) ::malloc_trim(0);
    // Undelivered events are retried on their own schedule; look again within a second.
    SleepUntil(*empty ? *wake : std::min(*wake, Clock::now() + std::chrono::seconds(1)));
  }
  if (g_stop) PrintNote("stopped; undelivered events stay in the outbox for the next start");
  return 0;
}

int RunBackfill(const RunOptions& options) {
  const auto from = ParseDate(options.from);
  const auto to = ParseDate(options.to);
  if (!from || !to || *to <= *from) {
    PrintError("--from and --to must be dates (YYYY-MM-DD) with --to after --from");
    return 2;
  }
  auto opened = OpenDaemon(options);
  if (!opened) {
    PrintError(opened.error().message);
    return 1;
  }
  Daemon& daemon = *opened;
  InstallSignalHandlers();
  bool matched = options.source.empty();
  for (auto& source : daemon.sources) {
    auto& puller = *source->puller;
    if (!options.source.empty() && puller.settings().name != options.source) continue;
    matched = true;
    // Month by month, so that a failure late in a long range keeps what came before.
    for (auto day = *from; day < *to && !g_stop;) {
      const std::chrono::year_month_day ymd{day};
      const auto next_month =
          std::chrono::sys_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}};
      const auto end = std::min(next_month, *to);
      ce::CostAndUsageQuery query = puller.settings().query;
      query.start = FormatDate(day);
      query.end = FormatDate(end);
      if (query.granularity == ce::Granularity::kHourly) {
        query.start += "T00:00:00Z";
        query.end += "T00:00:00Z";
      }
      if (auto ok = ce::Validate(query, TodayUtc()); !ok) {
        PrintError("source '" + puller.settings().name + "': " + ok.error().message);
        return 2;
      }
      auto pulled = puller.pull(query, Clock::now());
      if (!pulled) {
        PrintError("source '" + puller.settings().name + "': " + pulled.error().message);
        return 1;
      }
      Report(puller.settings(), query, *pulled);
      day = end;
    }
  }
  if (!matched) {
    PrintError("no source named '" + options.source + "' in the config");
    return 2;
  }
  while (!g_stop) {
    auto empty = Deliver(daemon);
    if (!empty) {
      PrintError(empty.error().message);
      return 1;
    }
    if (*empty) return 0;
    SleepUntil(Clock::now() + std::chrono::seconds(1));
  }
  return 0;
}

int RunStatus(const RunOptions& options) {
  std::string configured;
  if (!options.config_path.empty()) {
    auto config = config::LoadConfig(options.config_path, config::ProcessEnvLookup());
    if (!config) {
      PrintError(config.error().message);
      return 1;
    }
    configured = config->state_path;
  }
  auto path = StatePath(options, configured);
  if (!path) {
    PrintError(path.error().message);
    return 1;
  }
  // Inspecting does not take the daemon's lock: status works while `costwatch run` runs.
  auto store = store::StateStore::Open(*path, store::OpenMode::kInspect);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  auto status = store->status(Clock::now());
  if (!status) {
    PrintError(status.error().message);
    return 1;
  }
  auto dead = store->dead_letters(10);
  if (!dead) {
    PrintError(dead.error().message);
    return 1;
  }
  if (auto ok = WriteStdout(FormatStatus(path->string(), *status, *dead)); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
