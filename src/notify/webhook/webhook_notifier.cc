#include "notify/webhook/webhook_notifier.h"

#include "notify/digest_json.h"
#include "notify/notification_json.h"

namespace costwatch::notify {

Result<std::unique_ptr<Notifier>> MakeWebhookNotifier(std::string name,
                                                      const WebhookOptions& options,
                                                      std::unique_ptr<http::Client> client) {
  const std::string where = "notifier " + name;
  if (auto ok = CheckWebhookUrl(options.url, where + ": url"); !ok) return ok.error();
  if (options.timeout.count() <= 0) return Fail(where + ": timeout must be positive");
  for (const auto& header : options.headers) {
    // Names are safe to repeat; values may be secrets and are never quoted.
    if (header.name.empty() || header.name.find_first_of(":\r\n ") != std::string::npos)
      return Fail(where + ": invalid header name \"" + header.name + "\"");
    if (header.value.find_first_of("\r\n") != std::string::npos)
      return Fail(where + ": header " + header.name + " has a line break in its value");
    if (http::EqualsIgnoreCase(header.name, "Content-Type") ||
        http::EqualsIgnoreCase(header.name, "Content-Length"))
      return Fail(where + ": header " + header.name + " is set by the notifier");
  }
  return std::unique_ptr<Notifier>(std::make_unique<JsonPostNotifier>(
      std::move(name), JsonPostTarget{options.url, options.headers, options.timeout, ""},
      NotificationToJson, DigestToJson, std::move(client)));
}

}  // namespace costwatch::notify
