#include "config/secrets.h"

#include <variant>

#include "config/schema.h"
#include "sinks/kafka/kafka_settings.h"

namespace costwatch::config {

SecretScrubber ScrubberFor(const Config& config) {
  SecretScrubber secrets;
  for (const auto& value : config.secret_values) secrets.Add(value);
  // Blanked in the summary too (config/redact.h): a value from ${VAR} may be a token.
  for (const auto& value : config.environment_values) secrets.AddLiteral(value);
  if (config.server) secrets.Add(config.server->token);
  for (const auto& source : config.sources) secrets.AddUrlCredentials(source.endpoint_url);
  for (const auto& sink : config.sinks) {
    if (const auto* http = std::get_if<sinks::HttpSinkOptions>(&sink.options)) {
      secrets.AddUrlCredentials(http->url);
      for (const auto& header : http->headers) secrets.Add(header.value);
    }
    if (const auto* kafka = std::get_if<sinks::KafkaSinkOptions>(&sink.options)) {
      for (const auto& property : kafka->properties) {
        if (sinks::IsSecretProperty(property.name) || IsSecretName(property.name))
          secrets.Add(property.value);
      }
    }
  }
  for (const auto& notifier : config.notifiers) {
    if (const auto* email = std::get_if<notify::EmailOptions>(&notifier.options)) {
      secrets.AddPassword(email->username, email->password);
      secrets.AddUrlCredentials(email->smtp_url);
    }
    if (const auto* slack = std::get_if<notify::SlackOptions>(&notifier.options))
      secrets.AddSecretUrl(slack->webhook_url);
    if (const auto* teams = std::get_if<notify::TeamsOptions>(&notifier.options))
      secrets.AddSecretUrl(teams->webhook_url);
    if (const auto* webhook = std::get_if<notify::WebhookOptions>(&notifier.options)) {
      // Webhook receivers put their token in the path as often as in a header.
      secrets.AddSecretUrl(webhook->url);
      for (const auto& header : webhook->headers) secrets.Add(header.value);
    }
  }
  return secrets;
}

}  // namespace costwatch::config
