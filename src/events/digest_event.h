// A digest as the CloudEvent amazon.billing.digest (docs/events.md, "Digest events"): what a
// `cloudevent` notifier's sinks receive when a scheduled digest is sent.
#pragma once

#include <string>
#include <string_view>

#include "events/cost_event.h"
#include "notify/digest.h"
#include "util/result.h"

namespace costwatch::events {

inline constexpr std::string_view kDigestEventType = "amazon.billing.digest";

// One compact JSON line: id = the digest's id (stable per digest and period), time = when it
// was computed, and the digest as `data`, exactly as DigestToJson writes it. Fails for an empty
// id or source, which CloudEvents forbids.
Result<std::string> DigestEvent(const notify::Digest& digest,
                                std::string_view source = kDefaultSource);

}  // namespace costwatch::events
