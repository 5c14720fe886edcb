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

class WebhookNotifier final : public Notifier {
 public:
  // `client` is for tests; by default a libcurl client of its own.
  static Result<std::unique_ptr<WebhookNotifier>> Create(
      std::string name, const WebhookOptions& options,
      std::unique_ptr<http::Client> client = nullptr);

  [[nodiscard]] std::string_view name() const override { return name_; }
  SendResult send(const Notification& notification) override;

 private:
  WebhookNotifier(std::string name, JsonPostTarget target, std::unique_ptr<http::Client> client);

  std::string name_;
  JsonPostTarget target_;
  std::unique_ptr<http::Client> client_;
  std::vector<std::string> secrets_;
};

}  // namespace costwatch::notify
