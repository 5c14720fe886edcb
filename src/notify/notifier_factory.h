// Builds the notifier a config entry describes. This is the one place that lists the types.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "util/result.h"

namespace costwatch::notify {

// The types whose notifier needs what only the alarm engine has: the sinks' outboxes
// (cloudevent) and AWS credentials and a SigV4 client (sns). The engine passes builders for
// them; without one, MakeNotifier refuses the type with a message saying so.
struct EngineBuilders {
  using CloudEventBuilder = std::function<Result<std::unique_ptr<Notifier>>(
      const std::string& name, const CloudEventOptions& options)>;
  using SnsBuilder = std::function<Result<std::unique_ptr<Notifier>>(const std::string& name,
                                                                     const SnsOptions& options)>;
  CloudEventBuilder cloudevent;
  SnsBuilder sns;
};

// True for cloudevent and sns, the types MakeNotifier builds only through EngineBuilders.
bool BuiltByEngine(const NotifierConfig& config);

// Checks the options and builds the notifier; sends nothing. Errors name the notifier and the
// option, never a password, a webhook URL or a header value.
Result<std::unique_ptr<Notifier>> MakeNotifier(const NotifierConfig& config,
                                               const EngineBuilders& engine = {});

}  // namespace costwatch::notify
