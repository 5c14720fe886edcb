#include "notify/http_post.h"

#include <algorithm>

#include "http/httplib_client.h"
#include "http/url.h"
#include "sinks/http/http_sink.h"

namespace costwatch::notify {

Result<void> CheckWebhookUrl(const std::string& url, const std::string& what) {
  const bool http = url.starts_with("http://") || url.starts_with("https://");
  const size_t host = url.find("://") + 3;
  if (!http || url.size() == host || url.find_first_of(" \t\r\n") != std::string::npos)
    return Fail(what + " must be an http:// or https:// URL");
  if (http::HasUserInfo(url)) return Fail(what + ": " + std::string(http::kUserInfoRefused));
  return {};
}

std::unique_ptr<http::Client> MakeWebhookClient(const JsonPostTarget& target) {
  http::ClientOptions client_options;
  client_options.request_timeout = target.timeout;
  client_options.connect_timeout = std::min(client_options.connect_timeout, target.timeout);
  client_options.ca_bundle = target.ca_file;
  client_options.user_agent = "costwatch";
  return std::make_unique<http::HttplibClient>(std::move(client_options));
}

SecretScrubber SecretsOf(const JsonPostTarget& target) {
  SecretScrubber secrets;
  secrets.AddSecretUrl(target.url);
  for (const auto& header : target.headers) secrets.Add(header.value);
  return secrets;
}

SendResult PostJson(http::Client& client, const JsonPostTarget& target, std::string json,
                    const SecretScrubber& secrets) {
  http::Request request;
  request.method = "POST";
  request.url = target.url;
  request.headers.push_back({"Content-Type", "application/json"});
  for (const auto& header : target.headers) {
    if (!request.header(header.name)) request.headers.push_back(header);
  }
  request.body = std::move(json);
  return sinks::ClassifyResponse(client.send(request), std::chrono::system_clock::now(), secrets);
}

JsonPostNotifier::JsonPostNotifier(std::string name, JsonPostTarget target, Render render,
                                   RenderDigest render_digest, std::unique_ptr<http::Client> client)
    : name_(std::move(name)),
      target_(std::move(target)),
      render_(render),
      render_digest_(render_digest),
      client_(client != nullptr ? std::move(client) : MakeWebhookClient(target_)),
      secrets_(SecretsOf(target_)) {}

SendResult JsonPostNotifier::send(const Notification& notification) {
  return PostJson(*client_, target_, render_(notification), secrets_);
}

SendResult JsonPostNotifier::send(const Digest& digest) {
  return PostJson(*client_, target_, render_digest_(digest), secrets_);
}

Result<std::unique_ptr<Notifier>> MakeChatNotifier(std::string name, const std::string& url,
                                                   std::chrono::milliseconds timeout,
                                                   JsonPostNotifier::Render render,
                                                   JsonPostNotifier::RenderDigest render_digest,
                                                   std::unique_ptr<http::Client> client) {
  if (auto ok = CheckWebhookUrl(url, "notifier " + name + ": webhook_url"); !ok) {
    return ok.error();
  }
  if (timeout.count() <= 0) return Fail("notifier " + name + ": timeout must be positive");
  return std::unique_ptr<Notifier>(
      std::make_unique<JsonPostNotifier>(std::move(name), JsonPostTarget{url, {}, timeout, ""},
                                         render, render_digest, std::move(client)));
}

}  // namespace costwatch::notify
