// Which scheduled digests were queued: the digest half of StateStore (docs/digests.md).
#include "store/state_store.h"
#include "store/state_store_impl.h"

namespace costwatch::store {

Result<bool> StateStore::record_digest(std::string_view digest, std::string_view period,
                                       std::string_view digest_id,
                                       std::span<const QueuedMessage> messages, TimePoint now) {
  const std::scoped_lock guard(impl_->mutex);
  auto& db = impl_->db;
  auto fail = [&](const Error& error) { return InDatabase(impl_->path, error); };
  auto transaction = sqlite::Transaction::Begin(db);
  if (!transaction) return fail(transaction.error());
  const std::int64_t now_ms = ToMillis(now);
  auto insert = db.prepare(
      "INSERT OR IGNORE INTO digests_sent (digest, period, digest_id, queued_ms)"
      " VALUES (?1, ?2, ?3, ?4)");
  if (!insert) return fail(insert.error());
  if (auto done = insert->bind_all(digest, period, digest_id, now_ms).run(); !done) {
    return fail(done.error());
  }
  // Recorded before: the transaction ends without a commit and queues nothing.
  if (db.changes() == 0) return false;
  if (auto queued = Enqueue(db, messages, now_ms); !queued) return fail(queued.error());
  if (auto committed = transaction->commit(); !committed) return fail(committed.error());
  return true;
}

Result<bool> StateStore::digest_sent(std::string_view digest, std::string_view period) {
  const std::scoped_lock guard(impl_->mutex);
  auto query =
      impl_->db.prepare("SELECT count(*) FROM digests_sent WHERE digest = ?1 AND period = ?2");
  if (!query) return InDatabase(impl_->path, query.error());
  query->bind_all(digest, period);
  auto row = query->step();
  if (!row) return InDatabase(impl_->path, row.error());
  return *row && query->column_int(0) > 0;
}

Result<std::vector<std::pair<std::string, std::string>>> StateStore::latest_digests() {
  const std::scoped_lock guard(impl_->mutex);
  auto query = impl_->db.prepare(
      "SELECT digest, max(period) FROM digests_sent GROUP BY digest ORDER BY digest");
  if (!query) return InDatabase(impl_->path, query.error());
  std::vector<std::pair<std::string, std::string>> latest;
  for (;;) {
    auto row = query->step();
    if (!row) return InDatabase(impl_->path, row.error());
    if (!*row) break;
    latest.emplace_back(query->column_text(0), query->column_text(1));
  }
  return latest;
}

}  // namespace costwatch::store
