// Pruning what is older than the retention: the half of StateStore that keeps the database
// from growing without bound (docs/state.md, "Retention").
#include "store/state_store.h"
#include "store/state_store_impl.h"
#include "util/dates.h"

namespace costwatch::store {

Result<PruneSummary> StateStore::prune(std::string_view source, std::string_view granularity,
                                       TimePoint keep_from) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) {
    return InDatabase(impl_->path, WithContext("pruning what is older than the retention", error));
  };
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(keep_from);
  const std::string keep_day = FormatDate(day);

  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  PruneSummary summary;

  // Periods compare as text: "2024-01-01" sorts before "2024-01-01T05:00:00Z" and after every
  // hour of 2023-12-31. Rows inside the fetch window stay whatever the retention says: a
  // re-fetch would find them new and emit them again. A row whose event still waits for a
  // sink (or in the dead letters, to be replayed) stays until it has gone. NOT IN builds one
  // temporary index over those ids instead of scanning the outbox per row.
  auto rows = db.prepare(
      "DELETE FROM cost_rows WHERE source = ?1 AND granularity = ?2 AND period_start < ?3"
      " AND period_start < coalesce((SELECT window_start FROM checkpoints WHERE source = ?1), '')"
      " AND event_id NOT IN (SELECT event_id FROM outbox)"
      " AND event_id NOT IN (SELECT event_id FROM dead_letters)");
  if (!rows) return fail(rows.error());
  if (auto deleted = rows->bind_all(source, granularity, keep_day).run(); !deleted) {
    return fail(deleted.error());
  }
  summary.cost_rows = db.changes();

  // The current state of an alarm lives in alarm_states; its history is only a record.
  auto history = db.prepare("DELETE FROM alarm_history WHERE at_ms < ?1");
  if (!history) return fail(history.error());
  if (auto deleted = history->bind_all(ToMillis(day)).run(); !deleted) {
    return fail(deleted.error());
  }
  summary.alarm_history = db.changes();

  // Days sort as text. `costwatch status` shows the current day and month only.
  auto requests = db.prepare("DELETE FROM paid_requests WHERE day < ?1");
  if (!requests) return fail(requests.error());
  if (auto deleted = requests->bind_all(keep_day).run(); !deleted) return fail(deleted.error());
  summary.paid_requests = db.changes();

  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return summary;
}

}  // namespace costwatch::store
