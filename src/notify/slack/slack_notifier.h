// Slack incoming webhooks: one Block Kit message per notification.
// https://api.slack.com/messaging/webhooks, https://api.slack.com/reference/block-kit/blocks
#pragma once

#include <memory>
#include <string>

#include "http/http.h"
#include "notify/http_post.h"
#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "util/result.h"

namespace costwatch::notify {

// The webhook's JSON: `text` (the title, for notifications and clients without blocks) and
// `blocks`: a header, the reason, the facts as fields, the top list and a context line.
std::string SlackPayload(const Notification& notification);

// A digest: `text` (the title) and blocks: a header, the period, the figures as fields, the top
// list and the movers (split into sections of at most 3000 characters), notes, the bill's link
// and a context line; never more than Slack's 50 blocks.
std::string SlackDigestPayload(const Digest& digest);

// `client` is for tests; by default an http::HttplibClient of its own.
Result<std::unique_ptr<Notifier>> MakeSlackNotifier(std::string name, const SlackOptions& options,
                                                    std::unique_ptr<http::Client> client = nullptr);

}  // namespace costwatch::notify
