// A thin RAII layer over the SQLite C API: a connection, prepared statements and transactions.
// It exists so the store never leaks a handle or leaves a transaction open on an error path, and
// so every SQLite error becomes a Result with SQLite's own message.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/result.h"

namespace costwatch::store::sqlite {

class Statement {
 public:
  Statement() = default;

  // Binders take 1-based parameter indexes, as SQLite does. A failed bind (out of range, too
  // big) is remembered and reported by the next step(), so call sites stay one line each.
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::int64_t number);
  Statement& bind(int index, const std::optional<std::string>& text);
  Statement& bind_null(int index);

  // Binds the arguments to ?1, ?2, ... in order.
  template <class... Args>
  Statement& bind_all(const Args&... args) {
    int index = 0;
    (bind_one(++index, args), ...);
    return *this;
  }

  // One step: true when a row is available, false when the statement is done.
  Result<bool> step();
  // Steps to the end (for statements that return no rows), then resets for reuse.
  Result<void> run();
  // Makes the statement reusable and clears its bindings.
  void reset();

  [[nodiscard]] std::int64_t column_int(int column) const;
  [[nodiscard]] std::string column_text(int column) const;
  [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;
  [[nodiscard]] std::optional<std::int64_t> column_optional_int(int column) const;

 private:
  friend class Database;
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}

  void bind_one(int index, std::string_view text) { bind(index, text); }
  void bind_one(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind_one(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind_one(int index, std::int64_t number) { bind(index, number); }
  void bind_one(int index, int number) { bind(index, std::int64_t{number}); }
  void bind_one(int index, const std::optional<std::string>& text) { bind(index, text); }
  void check_bind(int rc);

  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
  std::optional<std::string> bind_error_;
};

class Database {
 public:
  // Opens (and with SQLITE_OPEN_CREATE creates) the file. flags are sqlite3_open_v2's.
  static Result<Database> Open(const std::string& path, int flags);

  // Runs one or more statements that return nothing (DDL, PRAGMAs that set).
  Result<void> exec(const std::string& sql);
  Result<Statement> prepare(std::string_view sql);
  // The first column of the first row of a query, as text ("" when there is no row).
  Result<std::string> query_text(const std::string& sql);
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t changes() const;
  // Frees the connection's page cache (it refills from the file on the next query).
  void release_memory();

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  explicit Database(sqlite3* db) : db_(db) {}
  std::unique_ptr<sqlite3, Closer> db_;
};

// BEGIN IMMEDIATE ... COMMIT. IMMEDIATE takes the write lock up front, so a transaction never
// fails half-way with SQLITE_BUSY because a reader upgraded first. Destroying an uncommitted
// transaction rolls it back: an early return on an error leaves the database as it was.
// BeginRead() is a plain BEGIN: a consistent snapshot for several reads, no write lock.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  static Result<Transaction> BeginRead(Database& db);
  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Database& db) : db_(&db) {}
  Database* db_;
};

}  // namespace costwatch::store::sqlite
