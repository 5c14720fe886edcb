#include "cli/run_command.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "cli/daemon_setup.h"
#include "cli/digest_setup.h"
#include "cli/output.h"
#include "cli/progress_bar.h"
#include "cli/status_format.h"
#include "cli/web_routes.h"
#include "config/loader.h"
#include "util/dates.h"
#include "util/memory.h"

namespace costwatch::cli {
namespace {

using Clock = std::chrono::system_clock;

// SIGTERM and SIGINT set the flag and wake the main loop through a pipe; everything else
// (finishing the current request, recording what was delivered) happens outside the handler.
std::atomic<bool> g_stop{false};
int g_wake[2] = {-1, -1};

void OnSignal(int) {
  g_stop = true;
  const char byte = 1;
  [[maybe_unused]] const auto ignored = ::write(g_wake[1], &byte, 1);
}

void InstallSignalHandlers() {
  if (g_wake[0] < 0 && ::pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) g_wake[0] = g_wake[1] = -1;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);
}

// Sleeps until `when` or a signal, whichever comes first.
void SleepUntil(Clock::time_point when) {
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now());
  if (wait.count() <= 0 || g_stop) return;
  pollfd fd{g_wake[0], POLLIN, 0};
  ::poll(&fd, 1, static_cast<int>(std::min<long long>(wait.count(), 60'000)));
}

void Report(const daemon::SourceSettings& source, const ce::CostAndUsageQuery& query,
            const daemon::PullSummary& pulled) {
  const auto& r = pulled.recorded;
  PrintNote("source '" + source.name + "': " + query.start + " to " + query.end + ": " +
            std::to_string(r.new_rows + r.changed_rows + r.unchanged_rows) + " rows (" +
            std::to_string(r.new_rows) + " new, " + std::to_string(r.changed_rows) +
            " restated), " + std::to_string(pulled.paid_requests) +
            (pulled.paid_requests == 1 ? " paid request" : " paid requests"));
}

// Evaluates the alarm rules of `source` (all when empty) on what was just recorded; their
// notifications join the outbox. A rule that fails keeps its state and is reported.
void EvaluateAlarms(Daemon& daemon, std::string_view source) {
  if (!daemon.alarms.engine || daemon.alarms.engine->rules().empty()) return;
  auto report = daemon.alarms.engine->evaluate(source, Clock::now());
  if (!report) {
    PrintError("alarms: " + report.error().message);
    return;
  }
  for (const auto& error : report->errors) PrintError(error);
  if (report->notifications > 0) {
    PrintNote("alarms: " + std::to_string(report->notifications) +
              (report->notifications == 1 ? " notification" : " notifications") + " queued");
  }
}

// Deletes what state_retention_days no longer keeps, after a pull of `source`, so that the state
// stays bounded however long the daemon runs (docs/state.md, "Retention"). A failure is
// reported and tried again after the next pull.
void PruneState(Daemon& daemon, const daemon::SourceSettings& source, Clock::time_point now) {
  const int days = daemon.config.state_retention_days;
  if (days == 0) return;
  const auto keep_from = std::chrono::floor<std::chrono::days>(now) - std::chrono::days(days);
  auto pruned = daemon.store->prune(source.name, ce::ToString(source.query.granularity), keep_from);
  if (!pruned) {
    PrintError("source '" + source.name + "': " + pruned.error().message);
    return;
  }
  if (pruned->cost_rows + pruned->alarm_history + pruned->paid_requests == 0) return;
  PrintNote("source '" + source.name + "': deleted what is older than " + FormatDate(keep_from) +
            " (state_retention_days " + std::to_string(days) +
            "): " + std::to_string(pruned->cost_rows) + " cost rows, " +
            std::to_string(pruned->alarm_history) + " alarm history entries, " +
            std::to_string(pruned->paid_requests) + " days of paid-request counts");
}

// Pulls every source whose schedule says a pull is due. A failed pull is reported and tried
// again at the next planned time; it does not stop the daemon.
void PullDueSources(Daemon& daemon) {
  const auto now = Clock::now();
  for (auto& source : daemon.sources) {
    if (g_stop) return;
    auto& puller = *source->puller;
    auto checkpoint = daemon.store->checkpoint(puller.settings().name);
    if (!checkpoint) {
      PrintError(checkpoint.error().message);
      continue;
    }
    std::optional<Clock::time_point> last;
    if (*checkpoint) last = (*checkpoint)->fetched_at;
    auto due = daemon::PullDue(daemon.schedule, last, now);
    if (!due) {
      PrintError(due.error().message);
      continue;
    }
    if (!*due) continue;
    const auto query = daemon::PullQuery(puller.settings(), TodayUtc());
    auto pulled = puller.pull(query, now);
    if (!pulled) {
      PrintError("source '" + puller.settings().name + "': " + pulled.error().message);
      continue;
    }
    Report(puller.settings(), query, *pulled);
    EvaluateAlarms(daemon, puller.settings().name);
    PruneState(daemon, puller.settings(), now);
  }
}

// Queues the digests whose time has come (once per period; the outbox delivers them).
void SendDueDigests(digests::DigestSender& sender) {
  if (sender.empty()) return;
  const auto report = sender.send_due(Clock::now());
  for (const auto& queued : report.queued) PrintNote("digest " + queued + " queued");
  for (const auto& waiting : report.waiting) PrintNote(waiting);
  for (const auto& error : report.errors) PrintError(error);
}

// What one delivery round did.
struct Round {
  long long waiting = 0;  // left in the outboxes afterwards
  bool progress = false;  // something was delivered or dead-lettered
  bool failed = false;    // a sink asked to try again later
};

// Delivers what is due; the per-sink failures go to `counters` when /metrics is served.
Result<Round> Deliver(Daemon& daemon, metrics::DeliveryCounters* counters = nullptr) {
  auto drained = daemon.engine->drain(g_stop);
  if (!drained) return drained.error();
  if (counters != nullptr) {
    for (const auto& [sink, counts] : drained->by_sink) {
      counters->add(sink, counts.retried, counts.dead_lettered);
    }
  }
  Round round;
  round.progress = drained->delivered > 0 || drained->dead_lettered > 0;
  round.failed = drained->retried > 0;
  if (round.progress) {
    PrintNote("delivered " + std::to_string(drained->delivered) + " events" +
              (drained->dead_lettered > 0
                   ? ", " + std::to_string(drained->dead_lettered) + " rejected (dead letters)"
                   : ""));
  }
  for (const auto& name : daemon.engine->sink_names()) {
    auto depth = daemon.store->outbox_depth(name);
    if (!depth) return depth.error();
    round.waiting += *depth;
  }
  return round;
}

// The HTTP server of `run` (dashboard, /metrics, health checks) when the config has a server
// section or --listen is given, with what only the daemon knows.
struct Serving {
  std::unique_ptr<metrics::DeliveryCounters> counters;
  std::atomic<bool> started{false};
  std::unique_ptr<web::HttpServer> server;
};

Result<void> StartServing(Daemon& daemon, const RunOptions& options, Serving& serving) {
  if (!daemon.config.server && options.listen.empty()) return {};
  auto server_options = WebServerOptions(daemon.config, options.listen);
  if (!server_options) return server_options.error();
  auto state_path = StatePath(options, daemon.config.state_path);
  if (!state_path) return state_path.error();
  serving.counters = std::make_unique<metrics::DeliveryCounters>(daemon.engine->sink_names());
  metrics::DaemonState shared;
  shared.delivery = serving.counters.get();
  shared.started = &serving.started;
  for (const auto& source : daemon.sources) {
    shared.aws.push_back({source->puller->settings().name, &source->requests});
  }
  auto server = web::StartServer(*server_options,
                                 BuildWebRouter({daemon.config, *state_path, std::move(shared)}));
  if (!server) return server.error();
  serving.server = std::move(*server);
  PrintNote("serving on http://" +
            FormatListenAddress({server_options->listen.host, serving.server->port()}) + "/");
  return {};
}

// Rounds in a row in which a sink failed and nothing got through before backfill leaves the
// rest in the outbox: with the backoff (1 s doubling, jittered) that is about 4 to 10 seconds.
constexpr int kBackfillFailedRounds = 4;

}  // namespace

void AddRunCommands(CLI::App& app, RunOptions& options) {
  auto* run = app.add_subcommand("run", "Pull on schedule and deliver events to the sinks");
  run->add_option("--config,-c", options.config_path,
                  "Config file (default: built-in: one source, stdout sink)");
  run->add_option("--state", options.state_path,
                  "State database (default: $XDG_STATE_HOME/costwatch/state.db)");
  run->add_option("--endpoint-url", options.endpoint_url,
                  "Cost Explorer endpoint for every source");
  run->add_flag("--once", options.once, "Pull what is due, deliver everything, then exit");
  run->add_option("--listen", options.listen,
                  "Serve the dashboard, /metrics and health checks on HOST:PORT (default: the "
                  "config's server section; none without one)");

  auto* backfill = app.add_subcommand("backfill", "Pull a past date range and deliver it");
  backfill->add_option("--config,-c", options.config_path, "Config file");
  backfill->add_option("--state", options.state_path, "State database");
  backfill->add_option("--endpoint-url", options.endpoint_url, "Cost Explorer endpoint");
  backfill->add_option("--from", options.from, "First day, YYYY-MM-DD")->required();
  backfill->add_option("--to", options.to, "Day after the last one, YYYY-MM-DD")->required();
  backfill->add_option("--source", options.source, "Only this source");

  auto* status = app.add_subcommand("status", "Show sources, sinks, outbox and paid requests");
  status->add_option("--config,-c", options.config_path, "Config file");
  status->add_option("--state", options.state_path, "State database");
}

int RunDaemon(const RunOptions& options) {
  auto opened = OpenDaemon(options);
  if (!opened) {
    PrintError(opened.error().message);
    return 1;
  }
  Daemon& daemon = *opened;
  InstallSignalHandlers();
  Serving serving;
  if (auto served = StartServing(daemon, options, serving); !served) {
    PrintError(served.error().message);
    return 1;
  }
  const auto digest_sender = MakeDigestSender(daemon.config, *daemon.store);
  while (!g_stop) {
    PullDueSources(daemon);
    SendDueDigests(*digest_sender);
    auto round = Deliver(daemon, serving.counters.get());
    if (!round) {
      PrintError(round.error().message);
      return 1;
    }
    serving.started = true;
    const bool empty = round->waiting == 0;
    if (options.once && empty) break;
    auto wake = daemon::NextWake(daemon.schedule, Clock::now(), aws::SystemRandom()());
    if (!wake) {
      PrintError(wake.error().message);
      return 1;
    }
    if (const auto slot = digest_sender->next_slot(Clock::now()); slot && *slot < *wake) {
      *wake = *slot;
    }
    // Give the memory of the pull and the delivery back before a long wait: an idle daemon
    // should be small. SQLite's page cache (up to 2 MB) is most of it.
    if (empty) {
      daemon.store->release_memory();
      util::ReleaseFreeMemory();
    }
    // Undelivered events are retried on their own schedule; look again within a second.
    SleepUntil(empty ? *wake : std::min(*wake, Clock::now() + std::chrono::seconds(1)));
  }
  if (serving.server) serving.server->Stop();
  if (g_stop) PrintNote("stopped; undelivered events stay in the outbox for the next start");
  return 0;
}

int RunBackfill(const RunOptions& options) {
  const auto from = ParseDate(options.from);
  const auto to = ParseDate(options.to);
  if (!from || !to || *to <= *from) {
    PrintError("--from and --to must be dates (YYYY-MM-DD) with --to after --from");
    return 2;
  }
  auto opened = OpenDaemon(options);
  if (!opened) {
    PrintError(opened.error().message);
    return 1;
  }
  Daemon& daemon = *opened;
  InstallSignalHandlers();
  const auto selected = [&](const SourceRuntime& source) {
    return options.source.empty() || source.puller->settings().name == options.source;
  };
  const auto months = [](std::chrono::sys_days first, std::chrono::sys_days end) {
    const std::chrono::year_month_day a{first};
    const std::chrono::year_month_day b{end - std::chrono::days{1}};
    const auto month = [](const std::chrono::year_month_day& date) {
      return static_cast<int>(date.year()) * 12 + static_cast<int>(unsigned{date.month()});
    };
    return month(b) - month(a) + 1;
  };
  BackfillProgress progress;
  for (const auto& source : daemon.sources) {
    if (selected(*source)) progress.months_total += months(*from, *to);
  }
  ProgressLine line;
  bool matched = false;
  for (auto& source : daemon.sources) {
    if (!selected(*source)) continue;
    auto& puller = *source->puller;
    matched = true;
    // Month by month, so that a failure late in a long range keeps what came before.
    for (auto day = *from; day < *to && !g_stop;) {
      const std::chrono::year_month_day ymd{day};
      const auto next_month =
          std::chrono::sys_days{(ymd.year() / ymd.month() / 1) + std::chrono::months{1}};
      const auto end = std::min(next_month, *to);
      ce::CostAndUsageQuery query = puller.settings().query;
      query.start = FormatDate(day);
      query.end = FormatDate(end);
      ce::UseHoursIfHourly(query);
      if (auto ok = ce::Validate(query, TodayUtc()); !ok) {
        line.erase();
        PrintError("source '" + puller.settings().name + "': " + ok.error().message);
        return 2;
      }
      progress.current = puller.settings().name + " " + query.start.substr(0, 7);
      line.show(progress, true);
      const BackfillProgress before = progress;
      auto pulled = puller.pull(query, Clock::now(), [&](const daemon::PullProgress& so_far) {
        progress.rows = before.rows + so_far.rows;
        progress.pages = before.pages + so_far.pages;
        progress.paid_requests = before.paid_requests + so_far.paid_requests;
        line.show(progress);
      });
      line.erase();
      if (!pulled) {
        PrintError("source '" + puller.settings().name + "': " + pulled.error().message);
        return 1;
      }
      Report(puller.settings(), query, *pulled);
      // The summary's counts, not the last page's: retries are paid requests too.
      progress.pages = before.pages + pulled->pages;
      progress.paid_requests = before.paid_requests + pulled->paid_requests;
      ++progress.months_done;
      line.show(progress, true);
      day = end;
    }
  }
  line.erase();
  if (!matched) {
    PrintError("no source named '" + options.source + "' in the config");
    return 2;
  }
  EvaluateAlarms(daemon, options.source);
  // Deliver everything, retrying failures while they still get through; a sink or notifier
  // that keeps failing must not hold the backfill forever. What it could not deliver stays in
  // the outbox, recorded, for `costwatch run` or the next backfill.
  int failed_rounds = 0;
  while (!g_stop) {
    auto round = Deliver(daemon);
    if (!round) {
      PrintError(round.error().message);
      return 1;
    }
    if (round->waiting == 0) return 0;
    if (round->progress) {
      failed_rounds = 0;
    } else if (round->failed && ++failed_rounds >= kBackfillFailedRounds) {
      PrintNote(std::to_string(round->waiting) +
                " still waiting in the outbox after repeated delivery failures; costwatch run "
                "or the next backfill delivers them (costwatch status shows the last error)");
      return 0;
    }
    SleepUntil(Clock::now() + std::chrono::seconds(1));
  }
  return 0;
}

int RunStatus(const RunOptions& options) {
  std::string configured;
  if (!options.config_path.empty()) {
    auto config = config::LoadConfig(options.config_path, config::ProcessEnvLookup());
    if (!config) {
      PrintError(config.error().message);
      return 1;
    }
    configured = config->state_path;
  }
  auto path = StatePath(options, configured);
  if (!path) {
    PrintError(path.error().message);
    return 1;
  }
  // Inspecting does not take the daemon's lock: status works while `costwatch run` runs.
  auto store = store::StateStore::Open(*path, store::OpenMode::kInspect);
  if (!store) {
    PrintError(store.error().message);
    return 1;
  }
  auto status = store->status(Clock::now());
  if (!status) {
    PrintError(status.error().message);
    return 1;
  }
  auto dead = store->dead_letters(10);
  if (!dead) {
    PrintError(dead.error().message);
    return 1;
  }
  auto alarms = store->alarm_states();
  if (!alarms) {
    PrintError(alarms.error().message);
    return 1;
  }
  auto digests = store->latest_digests();
  if (!digests) {
    PrintError(digests.error().message);
    return 1;
  }
  if (auto ok = WriteStdout(FormatStatus(path->string(), *status, *dead, *alarms, *digests)); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
