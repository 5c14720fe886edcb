// What the Slack, Teams and generic webhook notifiers share: POST one JSON body and say what
// the answer means. The status mapping is the sinks' (sinks::ClassifyResponse), so a webhook
// notifier and an HTTP sink treat 429, 5xx and Retry-After the same way.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "http/http.h"
#include "notify/notifier.h"
#include "util/result.h"
#include "util/secret_scrubber.h"

namespace costwatch::notify {

struct JsonPostTarget {
  std::string url;  // may itself be the secret (Slack and Teams webhook URLs are)
  std::vector<http::Header> headers;
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;  // empty: the system's trust store
};

// An http:// or https:// URL without spaces; the error names `what`, never the URL.
Result<void> CheckWebhookUrl(const std::string& url, const std::string& what);

// An http::HttplibClient for `target`'s timeout and CA file.
std::unique_ptr<http::Client> MakeWebhookClient(const JsonPostTarget& target);

// The URL (the whole of it is a credential: its path, its segments, its query) and every header
// value: never quoted in a message.
SecretScrubber SecretsOf(const JsonPostTarget& target);

// POSTs `json` with Content-Type application/json. 2xx delivered; 408, 429, 5xx and transport
// errors retry (with the receiver's Retry-After); other 4xx reject.
SendResult PostJson(http::Client& client, const JsonPostTarget& target, std::string json,
                    const SecretScrubber& secrets);

// Slack, Teams and the generic webhook differ only in the body they render: one notifier POSTs
// `render(notification)` to the target.
class JsonPostNotifier final : public Notifier {
 public:
  using Render = std::string (*)(const Notification&);
  using RenderDigest = std::string (*)(const Digest&);

  // `client` is for tests; by default an http::HttplibClient of its own.
  JsonPostNotifier(std::string name, JsonPostTarget target, Render render,
                   RenderDigest render_digest, std::unique_ptr<http::Client> client = nullptr);

  [[nodiscard]] std::string_view name() const override { return name_; }
  // Any 2xx counts as delivered (Teams Workflows answer 202 Accepted).
  SendResult send(const Notification& notification) override;
  SendResult send(const Digest& digest) override;

 private:
  std::string name_;
  JsonPostTarget target_;
  Render render_;
  RenderDigest render_digest_;
  std::unique_ptr<http::Client> client_;
  SecretScrubber secrets_;
};

// A Slack or Teams notifier: the webhook URL (the credential) and timeout checked, no headers.
Result<std::unique_ptr<Notifier>> MakeChatNotifier(std::string name, const std::string& url,
                                                   std::chrono::milliseconds timeout,
                                                   JsonPostNotifier::Render render,
                                                   JsonPostNotifier::RenderDigest render_digest,
                                                   std::unique_ptr<http::Client> client);

}  // namespace costwatch::notify
