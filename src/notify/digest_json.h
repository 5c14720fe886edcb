// A digest as JSON: how the outbox queues it for a notifier, what the generic webhook posts and
// the `data` of the amazon.billing.digest CloudEvent (docs/events.md, "Digest events").
#pragma once

#include <string>
#include <string_view>

#include "notify/digest.h"
#include "util/result.h"

namespace costwatch::notify {

// One compact line, members in a fixed order, lowerCamelCase, amounts as strings; the first
// member is "digest", which tells a queued digest from a queued notification.
std::string DigestToJson(const Digest& digest);

// Whether a queued entry is a digest (DigestToJson) rather than a notification.
bool IsDigestJson(std::string_view json);

// The inverse of DigestToJson. Unknown members are ignored; a missing or mistyped one is an
// error naming it.
Result<Digest> ParseDigest(std::string_view json);

}  // namespace costwatch::notify
