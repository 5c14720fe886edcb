// The outbox, dead letters and `costwatch status`: the delivery half of StateStore.
#include "store/state_store.h"
#include "store/state_store_impl.h"

namespace costwatch::store {
namespace {

// Applies `statement` (parameters ?1 = seq, ?2 = sink, then `extra`) to each seq. Returns how
// many entries it changed: seqs of another sink, or already gone, change nothing.
template <class... Extra>
Result<std::int64_t> ForEachSeq(sqlite::Database& db, sqlite::Statement& statement,
                                std::string_view sink, std::span<const std::int64_t> seqs,
                                const Extra&... extra) {
  std::int64_t changed = 0;
  for (const std::int64_t seq : seqs) {
    statement.bind_all(seq, sink, extra...);
    if (auto done = statement.run(); !done) return done.error();
    changed += db.changes();
  }
  return changed;
}

// Remembers a sink's latest failure for `costwatch status`.
Result<void> RecordSinkError(sqlite::Database& db, std::string_view sink, std::string_view error,
                             std::int64_t now_ms) {
  auto upsert = db.prepare(
      "INSERT INTO sink_stats (sink, last_error, last_error_ms) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (sink) DO UPDATE SET last_error = excluded.last_error,"
      " last_error_ms = excluded.last_error_ms");
  if (!upsert) return upsert.error();
  return upsert->bind_all(sink, error, now_ms).run();
}

}  // namespace

Result<std::vector<OutboxEntry>> StateStore::claim(std::string_view sink, std::size_t max,
                                                   TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT seq, event_id, event_json, attempts, next_attempt_ms FROM outbox"
      " WHERE sink = ?1 ORDER BY seq");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(sink);
  std::vector<OutboxEntry> entries;
  const std::int64_t now_ms = ToMillis(now);
  // The cursor is lazy: this reads the entries in flight plus at most `max` more.
  while (entries.size() < max) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    const std::int64_t seq = query->column_int(0);
    if (impl_->claimed.contains(seq)) continue;  // being sent right now
    if (query->column_int(4) > now_ms) break;    // FIFO: nothing overtakes a waiting entry
    entries.push_back(OutboxEntry{seq, query->column_text(1), query->column_text(2),
                                  static_cast<int>(query->column_int(3))});
  }
  for (const auto& entry : entries) impl_->claimed.insert(entry.seq);
  return entries;
}

Result<void> StateStore::mark_delivered(std::string_view sink, std::span<const std::int64_t> seqs,
                                        TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  auto remove = db.prepare("DELETE FROM outbox WHERE seq = ?1 AND sink = ?2");
  if (!remove) return fail(remove.error());
  auto removed = ForEachSeq(db, *remove, sink, seqs);
  if (!removed) return fail(removed.error());
  auto count = db.prepare(
      "INSERT INTO sink_stats (sink, delivered, last_delivery_ms) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (sink) DO UPDATE SET delivered = delivered + excluded.delivered,"
      " last_delivery_ms = excluded.last_delivery_ms");
  if (!count) return fail(count.error());
  if (auto counted = count->bind_all(sink, *removed, ToMillis(now)).run(); !counted) {
    return fail(counted.error());
  }
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  for (const std::int64_t seq : seqs) impl_->claimed.erase(seq);
  return {};
}

Result<void> StateStore::mark_retry(std::string_view sink, std::span<const std::int64_t> seqs,
                                    TimePoint next_attempt, std::string_view error, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& failure) { return InDatabase(impl_->path, failure); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  auto update = db.prepare(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?3, last_error = ?4"
      " WHERE seq = ?1 AND sink = ?2");
  if (!update) return fail(update.error());
  if (auto updated = ForEachSeq(db, *update, sink, seqs, ToMillis(next_attempt), error); !updated) {
    return fail(updated.error());
  }
  if (auto noted = RecordSinkError(db, sink, error, ToMillis(now)); !noted) {
    return fail(noted.error());
  }
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  for (const std::int64_t seq : seqs) impl_->claimed.erase(seq);
  return {};
}

Result<void> StateStore::dead_letter(std::string_view sink, std::span<const std::int64_t> seqs,
                                     std::string_view reason, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  const std::int64_t now_ms = ToMillis(now);
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  // The refusal was an attempt too, hence attempts + 1.
  auto copy = db.prepare(
      "INSERT INTO dead_letters (seq, sink, event_id, event_json, enqueued_ms, attempts, reason,"
      " dead_ms)"
      " SELECT seq, sink, event_id, event_json, enqueued_ms, attempts + 1, ?3, ?4 FROM outbox"
      " WHERE seq = ?1 AND sink = ?2");
  auto remove = db.prepare("DELETE FROM outbox WHERE seq = ?1 AND sink = ?2");
  if (!copy) return fail(copy.error());
  if (!remove) return fail(remove.error());
  if (auto copied = ForEachSeq(db, *copy, sink, seqs, reason, now_ms); !copied) {
    return fail(copied.error());
  }
  if (auto removed = ForEachSeq(db, *remove, sink, seqs); !removed) return fail(removed.error());
  if (auto noted = RecordSinkError(db, sink, reason, now_ms); !noted) return fail(noted.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  for (const std::int64_t seq : seqs) impl_->claimed.erase(seq);
  return {};
}

Result<std::int64_t> StateStore::outbox_depth(std::string_view sink) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare("SELECT count(*) FROM outbox WHERE sink = ?1");
  if (!query) return InDatabase(impl_->path, query.error());
  auto row = query->bind_all(sink).step();
  if (!row) return InDatabase(impl_->path, row.error());
  return query->column_int(0);
}

Result<std::vector<DeadLetter>> StateStore::dead_letters(std::size_t limit, std::string_view sink) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT seq, sink, event_id, event_json, attempts, reason, dead_ms FROM dead_letters"
      " WHERE ?1 = '' OR sink = ?1 ORDER BY dead_ms DESC, seq DESC LIMIT ?2");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(sink, static_cast<std::int64_t>(limit));
  std::vector<DeadLetter> letters;
  for (;;) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    letters.push_back(DeadLetter{query->column_int(0), query->column_text(1), query->column_text(2),
                                 query->column_text(3), static_cast<int>(query->column_int(4)),
                                 query->column_text(5), FromMillis(query->column_int(6))});
  }
  return letters;
}

Result<std::int64_t> StateStore::replay_dead_letters(std::string_view sink, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  // New seqs: replayed events join the end of the queue, due now, with a fresh attempt count.
  auto copy = db.prepare(
      "INSERT INTO outbox (sink, event_id, event_json, enqueued_ms, next_attempt_ms)"
      " SELECT sink, event_id, event_json, enqueued_ms, ?2 FROM dead_letters WHERE sink = ?1"
      " ORDER BY seq");
  if (!copy) return fail(copy.error());
  if (auto copied = copy->bind_all(sink, ToMillis(now)).run(); !copied) {
    return fail(copied.error());
  }
  const std::int64_t replayed = db.changes();
  auto remove = db.prepare("DELETE FROM dead_letters WHERE sink = ?1");
  if (!remove) return fail(remove.error());
  if (auto removed = remove->bind_all(sink).run(); !removed) return fail(removed.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return replayed;
}

Result<std::int64_t> StateStore::clear_dead_letters(std::string_view sink) {
  const std::scoped_lock guard(impl_->mutex);
  auto remove = impl_->db.prepare("DELETE FROM dead_letters WHERE sink = ?1");
  if (!remove) return InDatabase(impl_->path, remove.error());
  if (auto removed = remove->bind_all(sink).run(); !removed) {
    return InDatabase(impl_->path, removed.error());
  }
  return impl_->db.changes();
}

Result<StoreStatus> StateStore::status(TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  // One snapshot, so the numbers add up even while the daemon writes.
  auto snapshot = sqlite::Transaction::BeginRead(db);
  if (!snapshot) return fail(snapshot.error());
  StoreStatus status;

  auto sources = db.prepare(
      "SELECT c.source, c.window_start, c.window_end, c.fetched_ms, c.fetches,"
      " (SELECT count(*) FROM cost_rows r WHERE r.source = c.source)"
      " FROM checkpoints c ORDER BY c.source");
  if (!sources) return fail(sources.error());
  for (;;) {
    auto row = sources->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    status.sources.push_back(
        SourceStatus{sources->column_text(0),
                     Checkpoint{sources->column_text(1), sources->column_text(2),
                                FromMillis(sources->column_int(3)), sources->column_int(4)},
                     sources->column_int(5)});
  }

  auto sinks = db.prepare(
      "SELECT s.sink,"
      " (SELECT count(*) FROM outbox o WHERE o.sink = s.sink),"
      " (SELECT min(enqueued_ms) FROM outbox o WHERE o.sink = s.sink),"
      " (SELECT count(*) FROM dead_letters d WHERE d.sink = s.sink),"
      " coalesce(st.delivered, 0), st.last_delivery_ms, st.last_error, st.last_error_ms"
      " FROM (SELECT sink FROM sink_stats UNION SELECT sink FROM outbox"
      "       UNION SELECT sink FROM dead_letters) s"
      " LEFT JOIN sink_stats st ON st.sink = s.sink ORDER BY s.sink");
  if (!sinks) return fail(sinks.error());
  for (;;) {
    auto row = sinks->step();
    if (!row) return fail(row.error());
    if (!*row) break;
    status.sinks.push_back(SinkStatus{
        sinks->column_text(0), sinks->column_int(1), FromMillis(sinks->column_optional_int(2)),
        sinks->column_int(3), sinks->column_int(4), FromMillis(sinks->column_optional_int(5)),
        sinks->column_optional_text(6), FromMillis(sinks->column_optional_int(7))});
  }

  auto requests = impl_->request_counts(now);
  if (!requests) return requests.error();
  status.requests = *requests;
  return status;
}

}  // namespace costwatch::store
