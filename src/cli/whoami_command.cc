#include "cli/whoami_command.h"

#include <CLI/CLI.hpp>
#include <thread>

#include "aws/network.h"
#include "cli/aws_session.h"
#include "cli/output.h"
#include "util/json.h"

namespace costwatch::cli {

void AddWhoamiCommand(CLI::App& app, WhoamiOptions& options) {
  auto* command = app.add_subcommand(
      "whoami",
      "Print the AWS account and ARN costwatch's credentials belong to, and their source");
  command->add_option("--profile", options.profile,
                      "AWS profile (default: AWS_PROFILE or default)");
  command->add_flag("--json", options.json, "One JSON object instead of lines");
  command
      ->add_option("--timeout", options.timeout_seconds,
                   "Seconds one request may take before it is abandoned and retried")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
}

std::string FormatWhoami(const aws::CallerIdentity& identity, std::string_view provider,
                         bool json) {
  std::string out;
  if (json) {
    out += "{\"Account\":";
    AppendJsonString(out, identity.account);
    out += ",\"Arn\":";
    AppendJsonString(out, identity.arn);
    out += ",\"UserId\":";
    AppendJsonString(out, identity.user_id);
    out += ",\"Provider\":";
    AppendJsonString(out, provider);
    out += "}\n";
    return out;
  }
  out += "Account:  " + identity.account + "\n";
  out += "Arn:      " + identity.arn + "\n";
  out += "UserId:   " + identity.user_id + "\n";
  out += "Provider: " + std::string(provider) + "\n";
  return out;
}

int RunWhoami(const WhoamiOptions& options) {
  auto session = OpenAwsSession(options.profile);
  if (!session) {
    PrintError(session.error().message);
    return 1;
  }
  auto endpoint = aws::ResolveStsEndpoint(*session->env, session->config, session->profile);
  if (!endpoint) {
    PrintError(endpoint.error().message);
    return 2;
  }
  auto credentials = session->credentials->resolve();
  if (!credentials) {
    PrintError(credentials.error().message);
    return 1;
  }
  if (!*credentials) {
    PrintError("no AWS credentials found");
    return 1;
  }

  session->http.request_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  http::HttplibClient http(session->http);
  aws::NetworkContext network;
  network.retry = session->retry;
  network.random01 = aws::SystemRandom();
  network.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  aws::StsClient sts(http, *endpoint, network);
  auto identity = sts.GetCallerIdentity(**credentials);
  if (!identity) {
    PrintError(identity.error().message + " (credentials from " + (*credentials)->provider + ")");
    return 1;
  }
  if (auto ok = WriteStdout(FormatWhoami(*identity, (*credentials)->provider, options.json)); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
