#include "config/warnings.h"

#include <algorithm>
#include <variant>

#include "config/schema.h"
#include "config/sections.h"

namespace costwatch::config {

std::vector<std::string> SecurityWarnings(const Config& config) {
  std::vector<std::string> warnings;
  for (const auto& sink : config.sinks) {
    const auto* http = std::get_if<sinks::HttpSinkOptions>(&sink.options);
    if (http == nullptr) continue;
    const std::string where = "sink '" + sink.name + "': WARNING: ";
    if (!http->verify_tls && http->url.starts_with("https://")) {
      warnings.push_back(where +
                         "tls.verify is false: the receiver's certificate is not checked, so "
                         "anyone on the path can read and change what is sent");
    }
    const bool credentials =
        std::any_of(http->headers.begin(), http->headers.end(), [](const http::Header& header) {
          return IsSecretName(header.name) || http::EqualsIgnoreCase(header.name, "Cookie");
        });
    if (credentials && http->allow_plaintext_credentials && CrossesNetworkInClearText(http->url)) {
      warnings.push_back(where +
                         "credentials go over http:// in clear text "
                         "(allow_plaintext_credentials)");
    }
  }
  for (const auto& notifier : config.notifiers) {
    std::string url;
    bool allowed = false;
    if (const auto* slack = std::get_if<notify::SlackOptions>(&notifier.options)) {
      url = slack->webhook_url;
      allowed = slack->allow_plaintext_credentials;
    } else if (const auto* teams = std::get_if<notify::TeamsOptions>(&notifier.options)) {
      url = teams->webhook_url;
      allowed = teams->allow_plaintext_credentials;
    } else if (const auto* hook = std::get_if<notify::WebhookOptions>(&notifier.options)) {
      url = hook->url;
      allowed = hook->allow_plaintext_credentials;
    }
    if (allowed && CrossesNetworkInClearText(url)) {
      warnings.push_back("notifier '" + notifier.name +
                         "': WARNING: its URL and headers go over http:// in clear text "
                         "(allow_plaintext_credentials)");
    }
  }
  return warnings;
}

}  // namespace costwatch::config
