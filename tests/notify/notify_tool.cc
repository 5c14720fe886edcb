// Test-only: sends one notification (JSON as NotificationToJson writes it, on stdin) through
// one notifier of a costwatch.yaml and prints the outcome as a JSON line, so integration tests
// drive the real notifiers without the alarm engine. Not installed.
//
//   notify_tool --config FILE --notifier NAME < notification.json
#include <iostream>
#include <iterator>
#include <string>

#include "config/env.h"
#include "config/loader.h"
#include "notify/notification_json.h"
#include "notify/notifier_factory.h"
#include "util/json.h"

namespace cw = costwatch;
namespace notify = costwatch::notify;

namespace {

int Usage(const std::string& problem) {
  std::cerr << "notify_tool: " << problem << "\n"
            << "usage: notify_tool --config FILE --notifier NAME < notification.json\n";
  return 2;
}

const char* OutcomeName(notify::Outcome outcome) {
  switch (outcome) {
    case notify::Outcome::kDelivered:
      return "delivered";
    case notify::Outcome::kRetry:
      return "retry";
    case notify::Outcome::kRejected:
      return "rejected";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  std::string notifier_name;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage(flag + " needs a value");
    if (flag == "--config") {
      config_path = argv[++i];
    } else if (flag == "--notifier") {
      notifier_name = argv[++i];
    } else {
      return Usage("unknown flag " + flag);
    }
  }
  if (config_path.empty() || notifier_name.empty()) return Usage("--config and --notifier");

  auto config = cw::config::LoadConfig(config_path, cw::config::ProcessEnvLookup());
  if (!config.ok()) {
    std::cerr << "notify_tool: " << config.error().message << "\n";
    return 1;
  }
  const notify::NotifierConfig* chosen = nullptr;
  for (const auto& notifier : config->notifiers) {
    if (notifier.name == notifier_name) chosen = &notifier;
  }
  if (chosen == nullptr) return Usage("no notifier named " + notifier_name);
  auto notifier = notify::MakeNotifier(*chosen);
  if (!notifier.ok()) {
    std::cerr << "notify_tool: " << notifier.error().message << "\n";
    return 1;
  }

  const std::string json((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  auto notification = notify::ParseNotification(json);
  if (!notification.ok()) {
    std::cerr << "notify_tool: " << notification.error().message << "\n";
    return 1;
  }

  const notify::SendResult result = (*notifier)->send(*notification);
  std::string out = "{\"outcome\":\"" + std::string(OutcomeName(result.outcome)) + "\"";
  if (result.retry_after)
    out += ",\"retry_after_ms\":" + std::to_string(result.retry_after->count());
  out += ",\"message\":";
  cw::AppendJsonString(out, result.message);
  out += "}\n";
  std::cout << out;
  return 0;
}
