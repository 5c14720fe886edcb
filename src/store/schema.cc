#include "store/schema.h"

#include <array>
#include <string_view>

namespace costwatch::store {
namespace {

// Migration i (0-based) takes the schema from version i to i + 1. Never edit a released
// migration: add a new one, because databases in the field have already run the old ones.
constexpr std::array<std::string_view, kSchemaVersion> kMigrations = {
    // Version 1.
    R"sql(
CREATE TABLE schema_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),  -- a single row
  version INTEGER NOT NULL
);

-- Every row ever fetched, keyed the way Cost Explorer identifies it. event_id is the id of the
-- event last emitted for the row: a different id on a re-fetch means AWS restated the amounts.
CREATE TABLE cost_rows (
  source        TEXT NOT NULL CHECK (source <> ''),
  granularity   TEXT NOT NULL CHECK (granularity <> ''),
  period_start  TEXT NOT NULL CHECK (period_start <> ''),
  group_key     TEXT NOT NULL,
  event_id      TEXT NOT NULL CHECK (event_id <> ''),
  event_json    TEXT NOT NULL CHECK (event_json <> ''),
  estimated     INTEGER NOT NULL CHECK (estimated IN (0, 1)),
  revision      INTEGER NOT NULL DEFAULT 1,  -- 1 + restatements seen
  first_seen_ms INTEGER NOT NULL,
  changed_ms    INTEGER NOT NULL,            -- when event_id last changed
  last_seen_ms  INTEGER NOT NULL,
  last_fetch    INTEGER NOT NULL,            -- checkpoints.fetches of the last fetch that saw it
  PRIMARY KEY (source, granularity, period_start, group_key)
) WITHOUT ROWID;

-- One row per source: the window of its last successful fetch.
CREATE TABLE checkpoints (
  source       TEXT PRIMARY KEY,
  window_start TEXT NOT NULL,
  window_end   TEXT NOT NULL,
  fetched_ms   INTEGER NOT NULL,
  fetches      INTEGER NOT NULL  -- successful fetches recorded so far
);

-- Events not yet delivered, one queue per sink. AUTOINCREMENT: a seq is never reused, even
-- after the newest entry was delivered, so a seq in a log or a dead letter names one entry.
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  sink            TEXT NOT NULL CHECK (sink <> ''),
  event_id        TEXT NOT NULL CHECK (event_id <> ''),
  event_json      TEXT NOT NULL CHECK (event_json <> ''),
  enqueued_ms     INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,  -- failed deliveries so far
  last_error      TEXT
);
CREATE INDEX outbox_by_sink ON outbox (sink, seq);

-- Events a sink refused (HTTP 4xx): retrying cannot help, so they wait here for a person.
CREATE TABLE dead_letters (
  seq         INTEGER PRIMARY KEY,  -- the seq it had in the outbox
  sink        TEXT NOT NULL,
  event_id    TEXT NOT NULL,
  event_json  TEXT NOT NULL,
  enqueued_ms INTEGER NOT NULL,
  attempts    INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  dead_ms     INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_sink ON dead_letters (sink, seq);

-- Per-sink delivery counters for `costwatch status`.
CREATE TABLE sink_stats (
  sink             TEXT PRIMARY KEY,
  delivered        INTEGER NOT NULL DEFAULT 0,
  last_delivery_ms INTEGER,
  last_error       TEXT,
  last_error_ms    INTEGER
);

-- Paid Cost Explorer requests ($0.01 each) per UTC day and source.
CREATE TABLE paid_requests (
  day    TEXT NOT NULL,  -- YYYY-MM-DD, UTC
  source TEXT NOT NULL,
  count  INTEGER NOT NULL CHECK (count >= 0),
  PRIMARY KEY (day, source)
) WITHOUT ROWID;
)sql",
    // Version 2: billing alarms (docs/alarms.md). Notifications travel in the outbox above, in
    // queues named "notifier:<name>", so they get its retries and dead letters unchanged.
    R"sql(
-- The current state of every alarm. A rule may hold several alarms: one per budget threshold,
-- one per service of a per-service spike rule; `alarm` names it within the rule.
CREATE TABLE alarm_states (
  rule             TEXT NOT NULL CHECK (rule <> ''),
  alarm            TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('OK', 'ALARM', 'INSUFFICIENT_DATA')),
  since_ms         INTEGER NOT NULL,  -- when it entered this state
  evaluated_ms     INTEGER NOT NULL,
  notified_ms      INTEGER,           -- last notification (change or reminder)
  amount           TEXT NOT NULL,     -- exact decimals, as text
  threshold        TEXT NOT NULL,
  unit             TEXT NOT NULL,
  reason           TEXT NOT NULL,
  PRIMARY KEY (rule, alarm)
) WITHOUT ROWID;

-- Every state change, oldest first, for `costwatch alarm history` and the dashboard.
CREATE TABLE alarm_history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  rule       TEXT NOT NULL,
  alarm      TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  at_ms      INTEGER NOT NULL,
  amount     TEXT NOT NULL,
  threshold  TEXT NOT NULL,
  unit       TEXT NOT NULL,
  reason     TEXT NOT NULL
);
CREATE INDEX alarm_history_by_rule ON alarm_history (rule, alarm, id);

-- GetCostForecast answers (paid requests), kept so a forecast is bought at most once per day.
CREATE TABLE forecasts (
  query_key    TEXT NOT NULL,  -- source, metric, filter and period of the request
  day          TEXT NOT NULL,  -- YYYY-MM-DD, UTC, when it was bought
  amount       TEXT,           -- NULL: AWS had too little history (DataUnavailable)
  unit         TEXT,
  PRIMARY KEY (query_key, day)
) WITHOUT ROWID;
)sql",
    // Version 3: scheduled digests (docs/digests.md). Their messages travel in the outbox like
    // notifications; this table only remembers which periods were queued.
    R"sql(
-- One row per digest and period queued, so that a digest goes out once per period, across
-- restarts, and a missed slot is caught up once.
CREATE TABLE digests_sent (
  digest    TEXT NOT NULL CHECK (digest <> ''),  -- the digest's name in the config
  period    TEXT NOT NULL CHECK (period <> ''),  -- the period's first day, YYYY-MM-DD
  digest_id TEXT NOT NULL,                       -- the id its messages and event carry
  queued_ms INTEGER NOT NULL,
  PRIMARY KEY (digest, period)
) WITHOUT ROWID;
)sql",
};

Result<int> ReadVersion(sqlite::Database& db, const std::string& path) {
  auto has_table =
      db.query_text("SELECT count(*) FROM sqlite_schema WHERE name = 'schema_version'");
  if (!has_table) return has_table.error();
  if (*has_table == "0") {
    // No version table: a new, empty file is version 0; anything else is not ours, and writing
    // our tables into it would be rude at best.
    auto tables = db.query_text("SELECT count(*) FROM sqlite_schema");
    if (!tables) return tables.error();
    if (*tables != "0") {
      return Fail(path +
                  " is an SQLite database but not a costwatch state database (it has no "
                  "schema_version table); point costwatch at another file");
    }
    return 0;
  }
  auto query = db.prepare("SELECT version FROM schema_version WHERE id = 1");
  if (!query) return query.error();
  auto row = query->step();
  if (!row) return row.error();
  if (!*row) return 0;
  return static_cast<int>(query->column_int(0));
}

Error TooNew(const std::string& path, int version) {
  return Fail(path + " has state schema version " + std::to_string(version) +
              ", but this costwatch understands versions up to " + std::to_string(kSchemaVersion) +
              "; it was written by a newer costwatch. Run that version, or move the file away "
              "to start with empty state");
}

}  // namespace

Result<void> Migrate(sqlite::Database& db, const std::string& path) {
  auto version = ReadVersion(db, path);
  if (!version) return version.error();
  if (*version > kSchemaVersion) return TooNew(path, *version);
  for (int from = *version; from < kSchemaVersion; ++from) {
    auto transaction = sqlite::Transaction::Begin(db);
    if (!transaction) return transaction.error();
    const std::string sql(kMigrations.at(static_cast<size_t>(from)));
    if (auto applied = db.exec(sql); !applied) {
      return Fail("migrating " + path + " to schema version " + std::to_string(from + 1) + ": " +
                  applied.error().message);
    }
    auto set = db.prepare("INSERT OR REPLACE INTO schema_version (id, version) VALUES (1, ?1)");
    if (!set) return set.error();
    if (auto stored = set->bind_all(from + 1).run(); !stored) return stored.error();
    if (auto committed = transaction->commit(); !committed) return committed.error();
  }
  return {};
}

Result<void> CheckSchema(sqlite::Database& db, const std::string& path) {
  auto version = ReadVersion(db, path);
  if (!version) return version.error();
  if (*version > kSchemaVersion) return TooNew(path, *version);
  if (*version < kSchemaVersion) {
    return Fail(path + " has state schema version " + std::to_string(*version) + ", older than " +
                std::to_string(kSchemaVersion) + "; start `costwatch run` once to upgrade it");
  }
  return {};
}

}  // namespace costwatch::store
