#include "cli/digest_setup.h"

#include <algorithm>
#include <variant>

#include "cli/alarm_setup.h"
#include "events/digest_event.h"
#include "notify/digest_json.h"
#include "notify/notifier_sink.h"

namespace costwatch::cli {

bool DigestNotifies(const digests::DigestConfig& digest, const std::string& notifier) {
  return digest.notifiers.empty() || std::find(digest.notifiers.begin(), digest.notifiers.end(),
                                               notifier) != digest.notifiers.end();
}

digests::DigestRouter MakeDigestRouter(const config::Config& config) {
  return [notifiers = config.notifiers, sinks = config.sinks](
             const digests::DigestConfig& digest_config, const notify::Digest& digest) {
    std::vector<store::QueuedMessage> messages;
    const std::string json = notify::DigestToJson(digest);
    for (const auto& notifier : notifiers) {
      if (!DigestNotifies(digest_config, notifier.name)) continue;
      const auto* cloudevent = std::get_if<notify::CloudEventOptions>(&notifier.options);
      if (cloudevent == nullptr) {
        messages.push_back({notify::QueueName(notifier.name), digest.id, json});
        continue;
      }
      auto event = events::DigestEvent(digest, cloudevent->source);
      if (!event) continue;  // only for an empty id or source, which never happens here
      for (const auto& sink : sinks) {
        if (SendsTo(*cloudevent, sink.name)) messages.push_back({sink.name, digest.id, *event});
      }
    }
    return messages;
  };
}

std::map<std::string, digests::SourceInfo> DigestSources(const config::Config& config) {
  std::map<std::string, digests::SourceInfo> sources;
  for (const auto& source : config.sources) {
    sources[source.name] = {std::string(ce::ToString(source.granularity)), source.filter_json};
  }
  return sources;
}

std::unique_ptr<digests::DigestSender> MakeDigestSender(const config::Config& config,
                                                        store::StateStore& store) {
  return std::make_unique<digests::DigestSender>(store, config.digests, DigestSources(config),
                                                 MakeDigestRouter(config));
}

}  // namespace costwatch::cli
