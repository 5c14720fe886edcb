#include "cli/digest_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>

#include "cli/daemon_setup.h"
#include "cli/digest_setup.h"
#include "cli/output.h"
#include "notify/digest_json.h"
#include "notify/digest_text.h"
#include "notify/email/email_message.h"
#include "notify/slack/slack_notifier.h"
#include "notify/teams/teams_notifier.h"
#include "util/dates.h"

namespace costwatch::cli {
namespace {

using Clock = std::chrono::system_clock;

std::optional<digests::DigestKind> KindNamed(const std::string& text) {
  for (const auto kind :
       {digests::DigestKind::kDaily, digests::DigestKind::kWeekly, digests::DigestKind::kMonthly}) {
    if (digests::KindName(kind) == text) return kind;
  }
  return std::nullopt;
}

// The digests to preview: --name, else the config's digests of the kind, else one with the
// defaults over the first source, so that a preview works before any digest is configured.
Result<std::vector<digests::DigestConfig>> Chosen(const config::Config& config,
                                                  const DigestOptions& options,
                                                  digests::DigestKind kind) {
  std::vector<digests::DigestConfig> chosen;
  for (const auto& digest : config.digests) {
    if (!options.name.empty() ? digest.name == options.name : digest.kind == kind)
      chosen.push_back(digest);
  }
  if (!options.name.empty()) {
    if (chosen.empty()) return Fail("no digest is named '" + options.name + "' in the config");
    if (chosen.front().kind != kind) {
      return Fail("digest '" + options.name + "' is " +
                  std::string(digests::KindName(chosen.front().kind)) + ", not " + options.kind);
    }
    return chosen;
  }
  if (!chosen.empty()) return chosen;
  digests::DigestConfig fallback;
  fallback.name = options.kind;
  fallback.kind = kind;
  if (!config.sources.empty()) {
    const auto& source = config.sources.front();
    fallback.source = source.name;
    const auto metric = std::find_if(source.metrics.begin(), source.metrics.end(),
                                     [](const std::string& m) { return m.ends_with("Cost"); });
    fallback.metric = metric != source.metrics.end() ? *metric : "AmortizedCost";
  } else {
    fallback.source = "default";
    fallback.metric = "AmortizedCost";
  }
  return std::vector<digests::DigestConfig>{fallback};
}

notify::EmailAddresses Addresses(const config::Config& config) {
  for (const auto& notifier : config.notifiers) {
    if (const auto* email = std::get_if<notify::EmailOptions>(&notifier.options))
      return {email->from, email->to};
  }
  return {"costwatch@localhost", {"recipient@localhost"}};
}

Result<std::string> Render(const notify::Digest& digest, const std::string& output,
                           const config::Config& config) {
  if (output == "text") return notify::DigestPlainText(digest);
  if (output == "json") return notify::DigestToJson(digest) + "\n";
  if (output == "slack") return notify::SlackDigestPayload(digest) + "\n";
  if (output == "teams") return notify::TeamsDigestPayload(digest) + "\n";
  if (output == "email") return notify::RenderEmail(digest, Addresses(config), Clock::now());
  return Fail("--output must be text, json, slack, teams or email, not " + output);
}

}  // namespace

void AddDigestCommands(CLI::App& app, DigestOptions& options) {
  auto* digest = app.add_subcommand("digest", "Scheduled cost digests (see docs/digests.md)");
  digest->require_subcommand(1);
  auto* preview = digest->add_subcommand(
      "preview", "Print what a digest would send now, from the state database (no request)");
  preview->add_option("kind", options.kind, "daily, weekly or monthly")
      ->required()
      ->check(CLI::IsMember({"daily", "weekly", "monthly"}));
  preview->add_option("--config,-c", options.config_path, "Config file");
  preview->add_option("--state", options.state_path, "State database");
  preview->add_option("--name", options.name, "Only this digest of the config");
  preview->add_option("--output,-o", options.output, "text, json, slack, teams or email")
      ->check(CLI::IsMember({"text", "json", "slack", "teams", "email"}));
}

int RunDigest(const DigestOptions& options) {
  const auto kind = KindNamed(options.kind);
  if (!kind) {
    PrintError("the digest kind must be daily, weekly or monthly, not " + options.kind);
    return 2;
  }
  auto loaded = LoadConfigOrDefaults(options.config_path);
  if (!loaded) {
    PrintError(loaded.error().message);
    return 1;
  }
  const config::Config& config = *loaded;
  auto chosen = Chosen(config, options, *kind);
  if (!chosen) {
    PrintError(chosen.error().message);
    return 2;
  }
  RunOptions run;
  run.state_path = options.state_path;
  auto store = InspectState(run, config.state_path);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  const auto sources = DigestSources(config);
  const auto now = Clock::now();
  std::string out;
  for (const auto& digest_config : *chosen) {
    auto slot = digests::LatestSlot(digest_config, now);
    if (!slot) {
      PrintError(slot.error().message);
      return 1;
    }
    const auto plan = digests::PlanDigest(digest_config, slot->local_date);
    const auto found = sources.find(digest_config.source);
    auto digest = digests::ReadDigest(
        *store, digest_config, found == sources.end() ? digests::SourceInfo{} : found->second, plan,
        now);
    if (!digest) {
      PrintError(digest.error().message);
      return 1;
    }
    auto pulled = digests::Pulled(*store, digest_config, plan);
    if (pulled && !*pulled) {
      PrintNote("digest " + digest_config.name + ": source " + digest_config.source +
                " has not been pulled through " + FormatDate(plan.end - std::chrono::days(1)) +
                " yet; the daemon waits for it, this preview shows what is stored");
    }
    auto rendered = Render(*digest, options.output, config);
    if (!rendered) {
      PrintError(rendered.error().message);
      return 2;
    }
    if (!out.empty() && options.output == "text") out += "\n";
    out += *rendered;
  }
  if (auto written = WriteStdout(out); !written) {
    PrintError(written.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
