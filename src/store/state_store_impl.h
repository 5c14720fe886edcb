// What StateStore's .cc files share. Not part of the public API.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "store/files.h"
#include "store/sqlite.h"
#include "store/state_store.h"

namespace costwatch::store {

struct StateStore::Impl {
  // Declared before `db` so it is destroyed after it: the lock is released only once the
  // database is closed.
  std::optional<LockFile> lock;
  sqlite::Database db;
  std::string path;
  // Serialises every public method: one connection, one transaction at a time.
  std::mutex mutex;
  // Outbox entries handed out by claim() and not yet marked. Kept in memory on purpose: a claim
  // means "a delivery in this process is sending it", which a crash or restart ends by itself.
  std::set<std::int64_t> claimed;

  Impl(std::optional<LockFile> lock_file, sqlite::Database database, std::string db_path)
      : lock(std::move(lock_file)), db(std::move(database)), path(std::move(db_path)) {}

  Result<RequestCounts> request_counts(TimePoint now);
};

// Adds messages to their outbox queues, due at once; inside the caller's transaction.
Result<void> Enqueue(sqlite::Database& db, std::span<const QueuedMessage> messages,
                     std::int64_t now_ms);

// Every database error names the file, so the user knows which state is meant.
inline Error InDatabase(const std::string& path, const Error& error) {
  return WithContext("state database " + path, error);
}

// Times are stored as integer milliseconds since the Unix epoch, UTC.
inline std::int64_t ToMillis(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}
inline TimePoint FromMillis(std::int64_t millis) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(millis)));
}
inline std::optional<TimePoint> FromMillis(std::optional<std::int64_t> millis) {
  if (!millis) return std::nullopt;
  return FromMillis(*millis);
}

}  // namespace costwatch::store
