#include "cli/alarm_setup.h"

#include <algorithm>
#include <thread>

#include "alarms/cloudwatch/billing_endpoints.h"
#include "alarms/cloudwatch/sns_client.h"
#include "cli/aws_session.h"
#include "cli/daemon_setup.h"
#include "events/alarm_event.h"
#include "notify/notification_json.h"
#include "notify/notifier_factory.h"
#include "notify/notifier_sink.h"
#include "notify/sns/sns_notifier.h"

namespace costwatch::cli {
namespace {

namespace cw = alarms::cloudwatch;

// An SNS notifier's session, HTTP client and SNS client, built in this order.
struct SnsHolder final : AlarmRuntime::Holder {
  SnsHolder(AwsSession opened, const aws::ServiceEndpoint& endpoint,
            const aws::NetworkContext& network)
      : session(std::move(opened)),
        http(session.http),
        sns(http, *session.credentials, endpoint, network) {}
  AwsSession session;
  http::HttplibClient http;
  cw::SnsClient sns;
};

Result<std::unique_ptr<notify::Notifier>> BuildSns(const std::string& name,
                                                   const notify::SnsOptions& options,
                                                   AlarmRuntime& runtime) {
  auto session = OpenAwsSession(options.profile);
  if (!session) return session.error();
  auto endpoint =
      cw::SnsTopicEndpoint(*session->env, session->config, session->profile, options.topic_arn);
  if (!endpoint) return endpoint.error();
  aws::NetworkContext network;
  network.retry = session->retry;
  network.random01 = aws::SystemRandom();
  network.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  auto holder = std::make_unique<SnsHolder>(std::move(*session), *endpoint, network);
  cw::SnsClient* sns = &holder->sns;
  runtime.keep_alive.push_back(std::move(holder));
  return notify::MakeSnsNotifier(
      name, options.topic_arn,
      [sns](const std::string& topic, const std::string& subject, const std::string& message) {
        return sns->Publish(topic, subject, message);
      });
}

const config::SourceConfig* FindSource(const config::Config& config, std::string_view name) {
  const auto found = std::find_if(config.sources.begin(), config.sources.end(),
                                  [&](const config::SourceConfig& s) { return s.name == name; });
  return found == config.sources.end() ? nullptr : &*found;
}

}  // namespace

Result<std::unique_ptr<notify::Notifier>> BuildNotifier(const notify::NotifierConfig& config,
                                                        AlarmRuntime& runtime) {
  notify::EngineBuilders builders;
  builders.sns = [&runtime](const std::string& name, const notify::SnsOptions& options) {
    return BuildSns(name, options, runtime);
  };
  auto notifier = notify::MakeNotifier(config, builders);
  if (!notifier) return WithContext("notifier '" + config.name + "'", notifier.error());
  return notifier;
}

Result<void> AddNotifierSinks(const config::Config& config, AlarmRuntime& runtime,
                              std::vector<std::unique_ptr<sinks::Sink>>& sinks) {
  for (const auto& notifier_config : config.notifiers) {
    if (std::holds_alternative<notify::CloudEventOptions>(notifier_config.options)) continue;
    auto notifier = BuildNotifier(notifier_config, runtime);
    if (!notifier) return notifier.error();
    sinks.push_back(std::make_unique<notify::NotifierSink>(std::move(*notifier)));
  }
  return {};
}

bool Notifies(const alarms::RuleConfig& rule, const std::string& notifier) {
  return rule.notify.empty() ||
         std::find(rule.notify.begin(), rule.notify.end(), notifier) != rule.notify.end();
}

bool SendsTo(const notify::CloudEventOptions& options, const std::string& sink) {
  return options.sinks.empty() ||
         std::find(options.sinks.begin(), options.sinks.end(), sink) != options.sinks.end();
}

std::vector<alarms::RuleSetup> RuleSetups(const config::Config& config) {
  std::vector<alarms::RuleSetup> rules;
  for (const auto& rule : config.alarms) {
    const config::SourceConfig* source = FindSource(config, rule.source);
    const ce::Granularity granularity =
        source != nullptr ? source->granularity : ce::Granularity::kDaily;
    rules.push_back({rule, std::string(ce::ToString(granularity))});
  }
  return rules;
}

alarms::Router MakeRouter(const config::Config& config) {
  return [config](const alarms::RuleConfig& rule, const notify::Notification& notification) {
    std::vector<store::QueuedMessage> messages;
    const std::string json = notify::NotificationToJson(notification);
    for (const auto& notifier : config.notifiers) {
      if (!Notifies(rule, notifier.name)) continue;
      const auto* cloudevent = std::get_if<notify::CloudEventOptions>(&notifier.options);
      if (cloudevent == nullptr) {
        messages.push_back({notify::QueueName(notifier.name), notification.id, json});
        continue;
      }
      auto event = events::AlarmEvent(notification, cloudevent->source);
      if (!event) continue;  // only for an empty id or source, which the engine never makes
      for (const auto& sink : config.sinks) {
        if (SendsTo(*cloudevent, sink.name))
          messages.push_back({sink.name, notification.id, *event});
      }
    }
    return messages;
  };
}

void StartAlarmEngine(const config::Config& config, store::StateStore& store,
                      const std::vector<std::unique_ptr<SourceRuntime>>& sources,
                      AlarmRuntime& runtime) {
  runtime.forecasts = std::make_unique<alarms::CostExplorerForecasts>(
      store, [] { return std::chrono::system_clock::now(); });
  for (size_t i = 0; i < sources.size() && i < config.sources.size(); ++i) {
    runtime.forecasts->add_source(config.sources[i].name,
                                  ce::CostExplorerClient(*sources[i]->service),
                                  config.sources[i].filter_json);
  }
  runtime.engine = std::make_unique<alarms::AlarmEngine>(
      store, RuleSetups(config), MakeRouter(config), runtime.forecasts.get());
}

}  // namespace costwatch::cli
