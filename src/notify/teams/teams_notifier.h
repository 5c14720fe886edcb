// Microsoft Teams: an Adaptive Card 1.4 in a "message" to an incoming webhook or a Workflows
// ("Post to a channel when a webhook request is received") URL. Both take the same body:
// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
#pragma once

#include <memory>
#include <string>

#include "http/http.h"
#include "notify/http_post.h"
#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "util/result.h"

namespace costwatch::notify {

// {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
// "content":{AdaptiveCard 1.4: title, reason, the facts, the top list, the small print}}]}
std::string TeamsPayload(const Notification& notification);

// A digest as the same kind of card: title, period, the figures, the top list and the movers as
// FactSets, notes, and an Action.OpenUrl to the bill when the digest has a link.
std::string TeamsDigestPayload(const Digest& digest);

// `client` is for tests; by default an http::HttplibClient of its own.
Result<std::unique_ptr<Notifier>> MakeTeamsNotifier(std::string name, const TeamsOptions& options,
                                                    std::unique_ptr<http::Client> client = nullptr);

}  // namespace costwatch::notify
