#include "store/state_store.h"

#include <system_error>

#include "store/schema.h"
#include "store/state_store_impl.h"
#include "util/dates.h"

namespace costwatch::store {
namespace {

// Durability over speed: these rows are money. WAL lets `costwatch status` read while the
// daemon writes; synchronous=FULL fsyncs the WAL at every commit, so a committed transaction
// survives a power cut, not only a crash of the process.
Result<void> ConfigureDaemon(sqlite::Database& db) {
  if (auto set = db.exec("PRAGMA busy_timeout = 5000"); !set) return set.error();
  auto mode = db.query_text("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return Fail("cannot switch to WAL mode (journal_mode is " + *mode +
                "); is the file on a network filesystem?");
  }
  return db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
}

}  // namespace

Result<std::filesystem::path> DefaultStatePath(const EnvLookup& getenv) {
  if (auto xdg = getenv("XDG_STATE_HOME"); xdg && std::filesystem::path(*xdg).is_absolute()) {
    return std::filesystem::path(*xdg) / "costwatch" / "state.db";
  }
  if (auto home = getenv("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".local" / "state" / "costwatch" / "state.db";
  }
  return Fail(
      "cannot find a place for the state: neither XDG_STATE_HOME (absolute) nor HOME is set; "
      "give a state path");
}

StateStore::StateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StateStore::StateStore(StateStore&&) noexcept = default;
StateStore& StateStore::operator=(StateStore&&) noexcept = default;
StateStore::~StateStore() = default;

Result<StateStore> StateStore::Open(const std::filesystem::path& path, OpenMode mode) {
  const std::string name = path.string();
  if (mode == OpenMode::kInspect) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      return Fail("no costwatch state at " + name + " (has `costwatch run` been started?)");
    }
    // No SQLITE_OPEN_CREATE, and query_only: a reader never changes the daemon's state.
    auto db = sqlite::Database::Open(name, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX);
    if (!db) return InDatabase(name, db.error());
    if (auto set = db->exec("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON"); !set) {
      return InDatabase(name, set.error());
    }
    if (auto checked = CheckSchema(*db, name); !checked) return checked.error();
    return StateStore(std::make_unique<Impl>(std::nullopt, std::move(*db), name));
  }

  if (auto made = CreatePrivateDirectories(path.parent_path()); !made) return made.error();
  // The lock comes first: a second daemon must not even run migrations on a live database.
  auto lock = LockFile::Acquire(name + ".lock");
  if (!lock) return lock.error();
  if (auto made = CreatePrivateFile(path); !made) return made.error();
  auto db = sqlite::Database::Open(
      name, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX);
  if (!db) return InDatabase(name, db.error());
  if (auto configured = ConfigureDaemon(*db); !configured) {
    return InDatabase(name, configured.error());
  }
  if (auto migrated = Migrate(*db, name); !migrated) return migrated.error();
  return StateStore(std::make_unique<Impl>(std::move(*lock), std::move(*db), name));
}

Result<RecordSummary> StateStore::record_fetch(
    std::string_view source, std::string_view window_start, std::string_view window_end,
    std::span<const RowRecord> rows, std::span<const std::string> sink_names, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  const std::int64_t now_ms = ToMillis(now);
  auto fail = [&](const Error& error) {
    return InDatabase(impl_->path,
                      WithContext("recording a fetch of " + std::string(source), error));
  };

  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());

  // The checkpoint first: its fetch counter tags every row this fetch sees, which is how the
  // rows it did not see are found afterwards.
  auto checkpoint = db.prepare(
      "INSERT INTO checkpoints (source, window_start, window_end, fetched_ms, fetches)"
      " VALUES (?1, ?2, ?3, ?4, 1)"
      " ON CONFLICT (source) DO UPDATE SET window_start = excluded.window_start,"
      " window_end = excluded.window_end, fetched_ms = excluded.fetched_ms,"
      " fetches = fetches + 1"
      " RETURNING fetches");
  if (!checkpoint) return fail(checkpoint.error());
  auto stored = checkpoint->bind_all(source, window_start, window_end, now_ms).step();
  if (!stored) return fail(stored.error());
  const std::int64_t fetch = checkpoint->column_int(0);
  checkpoint->reset();

  auto lookup = db.prepare(
      "SELECT event_id FROM cost_rows"
      " WHERE source = ?1 AND granularity = ?2 AND period_start = ?3 AND group_key = ?4");
  auto insert = db.prepare(
      "INSERT INTO cost_rows (source, granularity, period_start, group_key, event_id,"
      " event_json, estimated, first_seen_ms, changed_ms, last_seen_ms, last_fetch)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, ?9)");
  auto restate = db.prepare(
      "UPDATE cost_rows SET event_id = ?5, event_json = ?6, estimated = ?7,"
      " revision = revision + 1, changed_ms = ?8, last_seen_ms = ?8, last_fetch = ?9"
      " WHERE source = ?1 AND granularity = ?2 AND period_start = ?3 AND group_key = ?4");
  auto touch = db.prepare(
      "UPDATE cost_rows SET event_json = ?6, estimated = ?7, last_seen_ms = ?8, last_fetch = ?9"
      " WHERE source = ?1 AND granularity = ?2 AND period_start = ?3 AND group_key = ?4"
      " AND event_id = ?5");
  auto enqueue = db.prepare(
      "INSERT INTO outbox (sink, event_id, event_json, enqueued_ms, next_attempt_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?4)");
  for (auto* statement : {&lookup, &insert, &restate, &touch, &enqueue}) {
    if (!*statement) return fail(statement->error());
  }

  RecordSummary summary;
  for (size_t i = 0; i < rows.size(); ++i) {
    const RowRecord& row = rows[i];
    auto row_fail = [&](const Error& error) {
      return fail(WithContext("row " + std::to_string(i) + " (" + row.granularity + " " +
                                  row.period_start + " " + row.group_key + ")",
                              error));
    };
    lookup->bind_all(source, row.granularity, row.period_start, row.group_key);
    auto found = lookup->step();
    if (!found) return row_fail(found.error());
    const std::optional<std::string> stored_id =
        *found ? std::optional(lookup->column_text(0)) : std::nullopt;
    lookup->reset();

    sqlite::Statement* write = &*insert;
    bool queue = true;
    if (!stored_id) {
      ++summary.new_rows;
    } else if (*stored_id != row.event_id) {
      // Restated: AWS changed the amounts. The new id makes it a new event; the old one stays
      // delivered (or queued) as what AWS said at the time.
      write = &*restate;
      ++summary.changed_rows;
    } else {
      write = &*touch;
      queue = false;
      ++summary.unchanged_rows;
    }
    write->bind_all(source, row.granularity, row.period_start, row.group_key, row.event_id,
                    row.event_json, row.estimated ? 1 : 0, now_ms, fetch);
    if (auto written = write->run(); !written) return row_fail(written.error());
    if (!queue) continue;
    for (const std::string& sink : sink_names) {
      enqueue->bind_all(sink, row.event_id, row.event_json, now_ms);
      if (auto queued = enqueue->run(); !queued) {
        return row_fail(WithContext("queueing for sink \"" + sink + "\"", queued.error()));
      }
      ++summary.events_queued;
    }
  }

  // Sinks are listed by `costwatch status` from their first queued event on.
  auto known = db.prepare("INSERT OR IGNORE INTO sink_stats (sink) VALUES (?1)");
  if (!known) return fail(known.error());
  for (const std::string& sink : sink_names) {
    if (auto added = known->bind_all(sink).run(); !added) return fail(added.error());
  }

  // Rows of the window this fetch did not return are kept, not deleted: see docs/state.md.
  auto vanished = db.prepare(
      "SELECT count(*) FROM cost_rows WHERE source = ?1 AND period_start >= ?2"
      " AND period_start < ?3 AND last_fetch <> ?4");
  if (!vanished) return fail(vanished.error());
  auto counted = vanished->bind_all(source, window_start, window_end, fetch).step();
  if (!counted) return fail(counted.error());
  summary.vanished_rows = vanished->column_int(0);
  vanished->reset();

  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return summary;
}

void StateStore::release_memory() {
  const std::scoped_lock guard(impl_->mutex);
  impl_->db.release_memory();
}

Result<std::optional<Checkpoint>> StateStore::checkpoint(std::string_view source) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT window_start, window_end, fetched_ms, fetches FROM checkpoints WHERE source = ?1");
  if (!query) return InDatabase(impl_->path, query.error());
  auto row = query->bind_all(source).step();
  if (!row) return InDatabase(impl_->path, row.error());
  if (!*row) return std::optional<Checkpoint>();
  return std::optional(Checkpoint{query->column_text(0), query->column_text(1),
                                  FromMillis(query->column_int(2)), query->column_int(3)});
}

Result<void> StateStore::add_requests(std::string_view source, std::int64_t count, TimePoint when) {
  if (count < 0) return Fail("a negative number of paid requests cannot be recorded");
  const std::scoped_lock guard(impl_->mutex);
  auto upsert = impl_->db.prepare(
      "INSERT INTO paid_requests (day, source, count) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (day, source) DO UPDATE SET count = count + excluded.count");
  if (!upsert) return InDatabase(impl_->path, upsert.error());
  const auto day = FormatDate(std::chrono::floor<std::chrono::days>(when));
  if (auto added = upsert->bind_all(day, source, count).run(); !added) {
    return InDatabase(impl_->path, added.error());
  }
  return {};
}

Result<RequestCounts> StateStore::request_counts(TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  return impl_->request_counts(now);
}

Result<RequestCounts> StateStore::Impl::request_counts(TimePoint now) {
  using namespace std::chrono;
  const sys_days today = floor<days>(now);
  const year_month month = year_month_day(today).year() / year_month_day(today).month();
  const sys_days month_start = month / 1;
  const sys_days next_month_start = (month + months(1)) / 1;
  // Days are stored as YYYY-MM-DD, which sorts like the dates themselves.
  auto query = db.prepare(
      "SELECT (SELECT coalesce(sum(count), 0) FROM paid_requests WHERE day = ?1),"
      " (SELECT coalesce(sum(count), 0) FROM paid_requests WHERE day >= ?2 AND day < ?3)");
  if (!query) return InDatabase(path, query.error());
  auto row =
      query->bind_all(FormatDate(today), FormatDate(month_start), FormatDate(next_month_start))
          .step();
  if (!row) return InDatabase(path, row.error());
  return RequestCounts{query->column_int(0), query->column_int(1)};
}

}  // namespace costwatch::store
