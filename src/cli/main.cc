// costwatch: AWS spend as a stream of CloudEvents.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <string_view>

#include "cli/alarm_command.h"
#include "cli/config_command.h"
#include "cli/convert_command.h"
#include "cli/digest_command.h"
#include "cli/fetch_command.h"
#include "cli/output.h"
#include "cli/report_command.h"
#include "cli/run_command.h"
#include "cli/serve_command.h"
#include "cli/whoami_command.h"
#include "util/memory.h"
#include "util/text.h"

#ifndef COSTWATCH_VERSION
#define COSTWATCH_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace costwatch::cli;
  costwatch::util::TuneMalloc();
  CLI::App app{"costwatch: AWS spend as CloudEvents", "costwatch"};
  app.set_version_flag("--version", COSTWATCH_VERSION);
  app.require_subcommand(1);

  FetchOptions fetch;
  ConvertOptions convert;
  AddFetchCommand(app, fetch);
  AddConvertCommand(app, convert);
  RunOptions run;
  AddRunCommands(app, run);
  WhoamiOptions whoami;
  AddWhoamiCommand(app, whoami);
  ConfigOptions config_options;
  AddConfigCommand(app, config_options);
  AlarmOptions alarm;
  AddAlarmCommands(app, alarm);
  DigestOptions digest;
  AddDigestCommands(app, digest);
  ReportOptions report;
  AddReportCommand(app, report);
  ServeOptions serve;
  AddServeCommand(app, serve);

  // CLI11 would only say "A subcommand is required" for a mistyped command.
  constexpr std::array<std::string_view, 11> kCommands = {"fetch",  "convert", "run",    "backfill",
                                                          "status", "whoami",  "config", "alarm",
                                                          "digest", "report",  "serve"};
  if (argc > 1 && argv[1][0] != '-' &&
      std::find(kCommands.begin(), kCommands.end(), argv[1]) == kCommands.end()) {
    const std::string guess = costwatch::ClosestMatch(argv[1], kCommands);
    PrintError("unknown command \"" + std::string(argv[1]) + "\"" +
               (guess.empty() ? "" : " (did you mean " + guess + "?)") + " (see costwatch --help)");
    return 2;
  }

  // CLI11 reports through exceptions; they stop here, as one line on stderr.
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintError(std::string(e.what()) + " (see costwatch --help)");
    return 2;
  }

  if (app.got_subcommand("fetch")) return RunFetch(fetch);
  if (app.got_subcommand("convert")) return RunConvert(convert);
  if (app.got_subcommand("run")) return RunDaemon(run);
  if (app.got_subcommand("backfill")) return RunBackfill(run);
  if (app.got_subcommand("status")) return RunStatus(run);
  if (app.got_subcommand("whoami")) return RunWhoami(whoami);
  if (app.got_subcommand("config")) return RunConfigCheck(config_options);
  if (app.got_subcommand("alarm")) return RunAlarm(alarm);
  if (app.got_subcommand("digest")) return RunDigest(digest);
  if (app.got_subcommand("report")) return RunReport(report);
  if (app.got_subcommand("serve")) return RunServe(serve);
  return 2;
}
