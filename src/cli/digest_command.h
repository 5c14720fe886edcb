// costwatch digest preview daily|weekly|monthly: prints what a scheduled digest would send now,
// from the state database (read-only: it works beside a running daemon, and buys nothing).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace costwatch::cli {

struct DigestOptions {
  std::string kind;  // daily, weekly, monthly
  std::string config_path;
  std::string state_path;
  std::string name;             // one digest of the config
  std::string output = "text";  // text, json, slack, teams, email
};

void AddDigestCommands(CLI::App& app, DigestOptions& options);

// 0 printed, 1 the state or config cannot be read, 2 bad input.
int RunDigest(const DigestOptions& options);

}  // namespace costwatch::cli
