// Alarm states, their history, forecasts bought, and reading cost rows back for evaluation:
// the alarm half of StateStore.
#include "store/state_store.h"
#include "store/state_store_impl.h"

namespace costwatch::store {

Result<void> Enqueue(sqlite::Database& db, std::span<const QueuedMessage> messages,
                     std::int64_t now_ms) {
  auto insert = db.prepare(
      "INSERT INTO outbox (sink, event_id, event_json, enqueued_ms, next_attempt_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?4)");
  if (!insert) return insert.error();
  for (const auto& message : messages) {
    if (auto done = insert->bind_all(message.queue, message.id, message.json, now_ms).run();
        !done) {
      return done.error();
    }
  }
  return {};
}

namespace {

// The state stored for the alarm before this evaluation; nullopt for a new alarm.
Result<std::optional<std::string>> StoredState(sqlite::Database& db, const AlarmState& state) {
  auto query = db.prepare("SELECT state FROM alarm_states WHERE rule = ?1 AND alarm = ?2");
  if (!query) return query.error();
  query->bind_all(state.rule, state.alarm);
  auto row = query->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(query->column_text(0));
}

}  // namespace

Result<std::vector<StoredRow>> StateStore::rows(std::string_view source,
                                                std::string_view granularity, std::string_view from,
                                                std::string_view to) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT period_start, event_json, estimated FROM cost_rows WHERE source = ?1 AND"
      " granularity = ?2 AND period_start >= ?3 AND period_start < ?4 ORDER BY period_start");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(source, granularity, from, to);
  std::vector<StoredRow> rows;
  for (;;) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    rows.push_back(
        StoredRow{query->column_text(0), query->column_text(1), query->column_int(2) != 0});
  }
  return rows;
}

Result<std::optional<std::string>> StateStore::latest_period(std::string_view source) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare("SELECT max(period_start) FROM cost_rows WHERE source = ?1");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(source);
  auto row = query->step();
  if (!row) return InDatabase(impl_->path, row.error());
  return *row ? query->column_optional_text(0) : std::nullopt;
}

Result<std::vector<AlarmState>> StateStore::alarm_states() {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT rule, alarm, state, since_ms, evaluated_ms, notified_ms, amount, threshold, unit,"
      " reason FROM alarm_states ORDER BY rule, alarm");
  if (!query) return InDatabase(impl_->path, query.error());
  std::vector<AlarmState> states;
  for (;;) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    states.push_back(AlarmState{query->column_text(0), query->column_text(1), query->column_text(2),
                                FromMillis(query->column_int(3)), FromMillis(query->column_int(4)),
                                FromMillis(query->column_optional_int(5)), query->column_text(6),
                                query->column_text(7), query->column_text(8),
                                query->column_text(9)});
  }
  return states;
}

Result<void> StateStore::record_alarm(const AlarmState& state,
                                      std::span<const QueuedMessage> messages, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  auto previous = StoredState(db, state);
  if (!previous) return fail(previous.error());
  const std::int64_t now_ms = ToMillis(now);

  auto upsert = db.prepare(
      "INSERT INTO alarm_states (rule, alarm, state, since_ms, evaluated_ms, notified_ms,"
      " amount, threshold, unit, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
      " ON CONFLICT (rule, alarm) DO UPDATE SET state = excluded.state,"
      " since_ms = excluded.since_ms, evaluated_ms = excluded.evaluated_ms,"
      " notified_ms = excluded.notified_ms, amount = excluded.amount,"
      " threshold = excluded.threshold, unit = excluded.unit, reason = excluded.reason");
  if (!upsert) return fail(upsert.error());
  upsert->bind_all(state.rule, state.alarm, state.state, ToMillis(state.since),
                   ToMillis(state.evaluated));
  if (state.notified) {
    upsert->bind(6, ToMillis(*state.notified));
  } else {
    upsert->bind_null(6);
  }
  upsert->bind(7, std::string_view(state.amount))
      .bind(8, std::string_view(state.threshold))
      .bind(9, std::string_view(state.unit))
      .bind(10, std::string_view(state.reason));
  if (auto done = upsert->run(); !done) return fail(done.error());

  if (!previous->has_value() || **previous != state.state) {
    auto history = db.prepare(
        "INSERT INTO alarm_history (rule, alarm, from_state, to_state, at_ms, amount, threshold,"
        " unit, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!history) return fail(history.error());
    const std::string from = previous->value_or("INSUFFICIENT_DATA");
    if (auto done = history
                        ->bind_all(state.rule, state.alarm, from, state.state, now_ms, state.amount,
                                   state.threshold, state.unit, state.reason)
                        .run();
        !done) {
      return fail(done.error());
    }
  }
  if (auto queued = Enqueue(db, messages, now_ms); !queued) return fail(queued.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return {};
}

Result<void> StateStore::remove_alarm(std::string_view rule, std::string_view alarm) {
  const std::scoped_lock guard(impl_->mutex);
  auto remove = impl_->db.prepare("DELETE FROM alarm_states WHERE rule = ?1 AND alarm = ?2");
  if (!remove) return InDatabase(impl_->path, remove.error());
  if (auto done = remove->bind_all(rule, alarm).run(); !done) {
    return InDatabase(impl_->path, done.error());
  }
  return {};
}

Result<std::vector<AlarmHistoryEntry>> StateStore::alarm_history(std::size_t limit,
                                                                 std::string_view rule) {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT rule, alarm, from_state, to_state, at_ms, amount, threshold, unit, reason"
      " FROM alarm_history WHERE ?1 = '' OR rule = ?1 ORDER BY id DESC LIMIT ?2");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(rule, static_cast<std::int64_t>(limit));
  std::vector<AlarmHistoryEntry> entries;
  for (;;) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    entries.push_back(AlarmHistoryEntry{
        query->column_text(0), query->column_text(1), query->column_text(2), query->column_text(3),
        FromMillis(query->column_int(4)), query->column_text(5), query->column_text(6),
        query->column_text(7), query->column_text(8)});
  }
  return entries;
}

Result<void> StateStore::enqueue(std::span<const QueuedMessage> messages, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  if (auto queued = Enqueue(db, messages, ToMillis(now)); !queued) return fail(queued.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return {};
}

Result<std::optional<CachedForecast>> StateStore::cached_forecast(std::string_view query_key,
                                                                  std::string_view day) {
  const std::scoped_lock guard(impl_->mutex);
  auto query =
      impl_->db.prepare("SELECT amount, unit FROM forecasts WHERE query_key = ?1 AND day = ?2");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(query_key, day);
  auto row = query->step();
  if (!row) return InDatabase(impl_->path, row.error());
  if (!*row) return std::optional<CachedForecast>();
  return std::optional<CachedForecast>(
      CachedForecast{query->column_optional_text(0), query->column_optional_text(1).value_or("")});
}

Result<void> StateStore::cache_forecast(std::string_view query_key, std::string_view day,
                                        const CachedForecast& forecast) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  // Older answers for the same query are worthless once a newer one is bought.
  auto remove = db.prepare("DELETE FROM forecasts WHERE query_key = ?1 AND day < ?2");
  auto insert = db.prepare(
      "INSERT OR REPLACE INTO forecasts (query_key, day, amount, unit) VALUES (?1, ?2, ?3, ?4)");
  if (!remove) return InDatabase(impl_->path, remove.error());
  if (!insert) return InDatabase(impl_->path, insert.error());
  if (auto done = remove->bind_all(query_key, day).run(); !done) {
    return InDatabase(impl_->path, done.error());
  }
  insert->bind_all(query_key, day)
      .bind(3, forecast.amount)
      .bind(4, std::string_view(forecast.unit));
  if (auto done = insert->run(); !done) return InDatabase(impl_->path, done.error());
  return {};
}

}  // namespace costwatch::store
