// The state of the `costwatch run` daemon, in one SQLite database (WAL, synchronous=FULL):
// the cost rows fetched so far, a checkpoint per source, an outbox of events per sink, dead
// letters, delivery counters and the paid requests made. docs/state.md describes the tables and
// the guarantees.
//
// Rules that make delivery safe across crashes:
//   - record_fetch() stores the rows and puts their events in the outbox in one transaction, so
//     an event is either recorded and queued, or neither (a re-fetch then finds it again);
//   - an entry leaves the outbox only through mark_delivered() or dead_letter(), so anything a
//     crash interrupts is sent again on restart, with the same event id (at-least-once);
//   - time is always passed in, never read here, so tests control it.
//
// All methods are safe to call from several threads; they serialise on one connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace costwatch::store {

using TimePoint = std::chrono::system_clock::time_point;

// Cost Explorer charges this much for every request, in US cents.
inline constexpr std::int64_t kCentsPerRequest = 1;

// $XDG_STATE_HOME/costwatch/state.db when XDG_STATE_HOME is an absolute path (the XDG spec says
// to ignore a relative one), else $HOME/.local/state/costwatch/state.db. `getenv` returns a
// variable's value, nullopt when unset or empty (aws::Environment::get fits).
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
Result<std::filesystem::path> DefaultStatePath(const EnvLookup& getenv);

// One fetched row, as the daemon hands it over.
struct RowRecord {
  std::string granularity;   // DAILY, HOURLY, MONTHLY
  std::string period_start;  // as AWS sent it: 2023-01-27 or 2023-01-27T05:00:00Z
  std::string group_key;     // canonical group, e.g. [["DIMENSION","SERVICE","Amazon EC2"]]
  std::string event_id;      // the event's id: changes exactly when the amounts change
  std::string event_json;    // the whole event, one line
  bool estimated = false;
};

struct RecordSummary {
  std::int64_t new_rows = 0;        // first seen: their events were queued
  std::int64_t changed_rows = 0;    // restated (new event id): the new events were queued
  std::int64_t unchanged_rows = 0;  // same id: nothing queued
  std::int64_t vanished_rows = 0;   // stored rows in the window that this fetch did not return
  std::int64_t events_queued = 0;   // outbox entries added, over all sinks
};

struct Checkpoint {
  std::string window_start;  // of the last successful fetch
  std::string window_end;    // exclusive
  TimePoint fetched_at;
  std::int64_t fetches = 0;  // successful fetches recorded for the source
};

struct OutboxEntry {
  std::int64_t seq = 0;  // increasing, never reused
  std::string event_id;
  std::string event_json;
  int attempts = 0;  // failed deliveries so far (for the backoff)
};

struct DeadLetter {
  std::int64_t seq = 0;  // the seq it had in the outbox
  std::string sink;
  std::string event_id;
  std::string event_json;
  int attempts = 0;
  std::string reason;
  TimePoint failed_at;
};

struct RequestCounts {
  std::int64_t today = 0;       // paid requests on the current UTC day
  std::int64_t this_month = 0;  // and in the current UTC month
  [[nodiscard]] std::int64_t today_cents() const { return today * kCentsPerRequest; }
  [[nodiscard]] std::int64_t month_cents() const { return this_month * kCentsPerRequest; }
};

struct SourceStatus {
  std::string source;
  Checkpoint checkpoint;
  std::int64_t rows = 0;  // rows stored for the source
};

struct SinkStatus {
  std::string sink;
  std::int64_t outbox_depth = 0;  // events waiting
  std::optional<TimePoint> oldest_waiting;
  std::int64_t dead_letters = 0;
  std::int64_t delivered = 0;  // events delivered, ever
  std::optional<TimePoint> last_delivery;
  std::optional<std::string> last_error;
  std::optional<TimePoint> last_error_at;
};

// What `costwatch status` prints.
struct StoreStatus {
  std::vector<SourceStatus> sources;  // by name
  std::vector<SinkStatus> sinks;      // by name
  RequestCounts requests;
};

// --- Alarms (docs/alarms.md) ---------------------------------------------------------------

// One alarm's state: a rule holds one alarm, or one per budget threshold or per service.
struct AlarmState {
  std::string rule;
  std::string alarm;  // "" for a rule's only alarm; "actual-80%", "Amazon EC2", ...
  std::string state;  // OK, ALARM, INSUFFICIENT_DATA
  TimePoint since;
  TimePoint evaluated;
  std::optional<TimePoint> notified;
  std::string amount;  // exact decimals as text
  std::string threshold;
  std::string unit;
  std::string reason;
};

struct AlarmHistoryEntry {
  std::string rule;
  std::string alarm;
  std::string from_state;
  std::string to_state;
  TimePoint at;
  std::string amount;
  std::string threshold;
  std::string unit;
  std::string reason;
};

// A message for one outbox queue: a sink's name, or "notifier:<name>" for a notifier.
struct QueuedMessage {
  std::string queue;
  std::string id;
  std::string json;
};

// What a re-fetch stored for one period and group (the evaluation reads the event's data).
struct StoredRow {
  std::string period_start;
  std::string event_json;
  bool estimated = false;
};

// What prune() deleted.
struct PruneSummary {
  std::int64_t cost_rows = 0;
  std::int64_t alarm_history = 0;
  std::int64_t paid_requests = 0;
};

struct CachedForecast {
  std::optional<std::string> amount;  // nullopt: AWS had too little history to forecast
  std::string unit;
};

enum class OpenMode {
  // The daemon: creates the file and its directory, migrates the schema and takes the lock that
  // keeps a second daemon out.
  kDaemon,
  // `costwatch status` and other readers, beside a running daemon: no lock, no migration, no
  // writes (PRAGMA query_only). The database must exist and be of the current schema.
  kInspect,
};

class StateStore {
 public:
  static Result<StateStore> Open(const std::filesystem::path& path,
                                 OpenMode mode = OpenMode::kDaemon);

  StateStore(StateStore&&) noexcept;
  StateStore& operator=(StateStore&&) noexcept;
  ~StateStore();  // closes the database, then releases the lock

  // --- Fetching -----------------------------------------------------------------------------
  // Records one successful fetch of [window_start, window_end) for `source`, in ONE transaction:
  // new rows and restated rows (a new event_id) are stored and their events queued for every
  // sink in `sink_names`; rows with the same id are only touched (their estimated flag and
  // stored JSON follow AWS, no event: the id says it is the same event). Rows stored earlier in
  // the window that the fetch did not return are kept and counted as vanished (see
  // docs/state.md). The checkpoint moves to this window. On any error nothing is stored.
  Result<RecordSummary> record_fetch(std::string_view source, std::string_view window_start,
                                     std::string_view window_end, std::span<const RowRecord> rows,
                                     std::span<const std::string> sink_names, TimePoint now);
  Result<std::optional<Checkpoint>> checkpoint(std::string_view source);

  // --- Delivery -----------------------------------------------------------------------------
  // Up to `max` entries for the sink, oldest first, marked claimed so they are not handed out
  // twice. FIFO per sink: the scan stops at the first waiting entry that is not due yet, so an
  // event never overtakes an older one (a restatement never arrives before what it replaces).
  // Claims are kept in memory, so a restart (or a crash) releases them all.
  Result<std::vector<OutboxEntry>> claim(std::string_view sink, std::size_t max, TimePoint now);
  // Delivered: removes the entries and counts them.
  Result<void> mark_delivered(std::string_view sink, std::span<const std::int64_t> seqs,
                              TimePoint now);
  // A temporary failure: the entries wait until next_attempt, with one more attempt counted.
  Result<void> mark_retry(std::string_view sink, std::span<const std::int64_t> seqs,
                          TimePoint next_attempt, std::string_view error, TimePoint now);
  // The sink refused them (4xx): they move to the dead letters.
  Result<void> dead_letter(std::string_view sink, std::span<const std::int64_t> seqs,
                           std::string_view reason, TimePoint now);
  Result<std::int64_t> outbox_depth(std::string_view sink);

  // --- Dead letters -------------------------------------------------------------------------
  // Newest first; an empty sink means every sink.
  Result<std::vector<DeadLetter>> dead_letters(std::size_t limit, std::string_view sink = {});
  // Moves a sink's dead letters back to the end of its outbox, due now, attempts reset.
  Result<std::int64_t> replay_dead_letters(std::string_view sink, TimePoint now);
  // Deletes a sink's dead letters. Returns how many.
  Result<std::int64_t> clear_dead_letters(std::string_view sink);

  // --- Paid requests ------------------------------------------------------------------------
  Result<void> add_requests(std::string_view source, std::int64_t count, TimePoint when);
  Result<RequestCounts> request_counts(TimePoint now);

  Result<StoreStatus> status(TimePoint now);

  // Gives SQLite's page cache back before a long idle wait; the next query refills it.
  void release_memory();

  // --- Cost rows ----------------------------------------------------------------------------
  // The rows of a source and granularity with from <= period_start < to (text comparison of
  // the periods as AWS wrote them, which orders dates and timestamps alike), by period.
  Result<std::vector<StoredRow>> rows(std::string_view source, std::string_view granularity,
                                      std::string_view from, std::string_view to);

  // The latest period_start stored for a source, if any.
  Result<std::optional<std::string>> latest_period(std::string_view source);

  // --- Retention ----------------------------------------------------------------------------
  // Deletes, in ONE transaction, what is older than the UTC day of `keep_from`: the rows of
  // `source` and `granularity` whose period starts before it, the alarm history recorded before
  // it and the paid-request counts of earlier days. A row is kept anyway while it lies inside
  // the source's fetch window (its checkpoint) or its event still waits in an outbox or the
  // dead letters. Dead letters, alarm states and the outbox itself are never pruned.
  Result<PruneSummary> prune(std::string_view source, std::string_view granularity,
                             TimePoint keep_from);

  // --- Alarms -------------------------------------------------------------------------------
  Result<std::vector<AlarmState>> alarm_states();
  // Records one evaluation in ONE transaction: the alarm's state, a history entry when the
  // state differs from the stored one, and the notifications queued for it. A crash leaves
  // either all of it or none, so a change is notified exactly when it is recorded.
  Result<void> record_alarm(const AlarmState& state, std::span<const QueuedMessage> messages,
                            TimePoint now);
  // Forgets an alarm a rule no longer has (its history stays).
  Result<void> remove_alarm(std::string_view rule, std::string_view alarm);
  // Newest first; an empty rule means every rule.
  Result<std::vector<AlarmHistoryEntry>> alarm_history(std::size_t limit,
                                                       std::string_view rule = {});
  // Queues messages outside any evaluation (`costwatch alarm test`).
  Result<void> enqueue(std::span<const QueuedMessage> messages, TimePoint now);

  // --- Digests (docs/digests.md) ------------------------------------------------------------
  // Records that `digest` was queued for the period starting `period` and queues its messages,
  // in ONE transaction. False (and nothing queued) when that period was recorded already: a
  // digest goes out once per period, whatever restarts happen.
  Result<bool> record_digest(std::string_view digest, std::string_view period,
                             std::string_view digest_id, std::span<const QueuedMessage> messages,
                             TimePoint now);
  // Whether the period of `digest` was recorded.
  Result<bool> digest_sent(std::string_view digest, std::string_view period);
  // The latest period recorded for each digest, by name: (digest, period).
  Result<std::vector<std::pair<std::string, std::string>>> latest_digests();

  // --- Forecasts ----------------------------------------------------------------------------
  Result<std::optional<CachedForecast>> cached_forecast(std::string_view query_key,
                                                        std::string_view day);
  Result<void> cache_forecast(std::string_view query_key, std::string_view day,
                              const CachedForecast& forecast);

 private:
  struct Impl;
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace costwatch::store
