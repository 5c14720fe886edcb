// A generic JSON webhook: POSTs the notification exactly as NotificationToJson writes it, with
// the configured headers (e.g. Authorization).
#pragma once

#include <memory>
#include <string>

#include "http/http.h"
#include "notify/http_post.h"
#include "notify/notifier.h"
#include "notify/notifier_options.h"
#include "util/result.h"

namespace costwatch::notify {

// `client` is for tests; by default an http::HttplibClient of its own.
Result<std::unique_ptr<Notifier>> MakeWebhookNotifier(
    std::string name, const WebhookOptions& options,
    std::unique_ptr<http::Client> client = nullptr);

}  // namespace costwatch::notify
