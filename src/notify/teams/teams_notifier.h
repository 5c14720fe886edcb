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

class TeamsNotifier final : public Notifier {
 public:
  // `client` is for tests; by default a libcurl client of its own.
  static Result<std::unique_ptr<TeamsNotifier>> Create(
      std::string name, const TeamsOptions& options,
      std::unique_ptr<http::Client> client = nullptr);

  [[nodiscard]] std::string_view name() const override { return name_; }
  // Workflows answer 202 Accepted: any 2xx counts as delivered.
  SendResult send(const Notification& notification) override;

 private:
  TeamsNotifier(std::string name, JsonPostTarget target, std::unique_ptr<http::Client> client);

  std::string name_;
  JsonPostTarget target_;
  std::unique_ptr<http::Client> client_;
  std::vector<std::string> secrets_;
};

}  // namespace costwatch::notify
