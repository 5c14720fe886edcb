// Assembling the scheduled digests from the config: where each digest goes (its notifiers'
// outbox queues and, for cloudevent notifiers, amazon.billing.digest events to their sinks)
// and the sender the daemon asks once per loop. Shared by run and `digest preview`.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/config.h"
#include "digests/sender.h"
#include "store/state_store.h"

namespace costwatch::cli {

// Whether a digest goes to the notifier (a digest without `notifiers` goes to every one).
bool DigestNotifies(const digests::DigestConfig& digest, const std::string& notifier);

// DigestToJson to each notifier's queue; DigestEvent to the sinks of cloudevent notifiers.
digests::DigestRouter MakeDigestRouter(const config::Config& config);

// What the digests need to know of each source of the config, by name.
std::map<std::string, digests::SourceInfo> DigestSources(const config::Config& config);

std::unique_ptr<digests::DigestSender> MakeDigestSender(const config::Config& config,
                                                        store::StateStore& store);

}  // namespace costwatch::cli
