#include "cli/daemon_setup.h"

#include <cstdlib>
#include <thread>

#include "cli/output.h"
#include "config/loader.h"
#include "config/secrets.h"
#include "config/warnings.h"
#include "costexplorer/endpoint.h"
#include "sinks/sink_factory.h"

namespace costwatch::cli {
namespace {

using Clock = std::chrono::system_clock;

std::optional<std::string> GetEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

Result<std::filesystem::path> StatePath(const RunOptions& options, const std::string& configured) {
  if (!options.state_path.empty()) return std::filesystem::path(options.state_path);
  if (!configured.empty()) return std::filesystem::path(configured);
  return store::DefaultStatePath(GetEnv);
}

Result<store::StateStore> InspectState(const RunOptions& options, const std::string& configured) {
  auto path = StatePath(options, configured);
  if (!path) return path.error();
  return store::StateStore::Open(*path, store::OpenMode::kInspect);
}

config::Config DefaultConfig() {
  config::Config config;
  config::SourceConfig source;
  source.name = "default";
  config.sources.push_back(source);
  config.sinks.push_back({"stdout", sinks::StdoutSinkOptions{}});
  return config;
}

namespace {

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

  runtime->http = std::make_unique<http::HttplibClient>(runtime->session.http);
  runtime->service = std::make_unique<aws::JsonServiceClient>(
      *runtime->http, *runtime->session.credentials, *endpoint, "AWSInsightsIndexService",
      aws::Backoff(runtime->session.retry, aws::SystemRandom()), [] { return Clock::now(); },
      [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); });
  runtime->service->set_counters(&runtime->requests);

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

}  // namespace

Result<config::Config> LoadConfigOrDefaults(const std::string& path) {
  if (path.empty()) return DefaultConfig();
  return config::LoadConfig(path, config::ProcessEnvLookup());
}

void PrintSecurityWarnings(const config::Config& config) {
  for (const auto& warning : config::SecurityWarnings(config)) PrintNote(warning);
}

Result<Daemon> OpenDaemon(const RunOptions& options) {
  Daemon daemon;
  auto config = LoadConfigOrDefaults(options.config_path);
  if (!config) return config.error();
  daemon.config = std::move(*config);
  PrintSecurityWarnings(daemon.config);
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
  // Notifications wait in the same outbox and are delivered by the same engine.
  if (auto added = AddNotifierSinks(daemon.config, daemon.alarms, sinks); !added) {
    return added.error();
  }
  daemon.engine = std::make_unique<daemon::DeliveryEngine>(
      *daemon.store, std::move(sinks), daemon::DeliveryPolicy{}, [] { return Clock::now(); },
      aws::SystemRandom(), config::ScrubberFor(daemon.config));

  for (const auto& source : daemon.config.sources) {
    auto runtime = OpenSource(source, options, *daemon.store, sink_names);
    if (!runtime) return runtime.error();
    daemon.sources.push_back(std::move(*runtime));
  }
  StartAlarmEngine(daemon.config, *daemon.store, daemon.sources, daemon.alarms);
  return daemon;
}

}  // namespace costwatch::cli
