// costwatch whoami: which AWS identity costwatch would use (STS GetCallerIdentity) and which
// credential provider supplied it. Never prints a secret.
#pragma once

#include <string>
#include <string_view>

#include "aws/sts_client.h"

namespace CLI {
class App;
}

namespace costwatch::cli {

struct WhoamiOptions {
  std::string profile;
  bool json = false;
  double timeout_seconds = 30;
};

void AddWhoamiCommand(CLI::App& app, WhoamiOptions& options);

// The report: "Account: ...", "Arn: ...", "UserId: ...", "Provider: ..." lines, or one JSON
// object with the same four members.
std::string FormatWhoami(const aws::CallerIdentity& identity, std::string_view provider, bool json);

// Returns the process exit code.
int RunWhoami(const WhoamiOptions& options);

}  // namespace costwatch::cli
