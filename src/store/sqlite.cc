#include "store/sqlite.h"

#include <limits>

namespace costwatch::store::sqlite {
namespace {

Error SqliteError(sqlite3* db, int rc) {
  // sqlite3_errmsg describes the most recent failure on the connection, which is more specific
  // ("CHECK constraint failed: event_id <> ''") than the generic text of the result code.
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Fail(message != nullptr ? message : sqlite3_errstr(rc));
}

}  // namespace

void Statement::check_bind(int rc) {
  if (rc != SQLITE_OK && !bind_error_) bind_error_ = sqlite3_errstr(rc);
}

Statement& Statement::bind(int index, std::string_view text) {
  if (text.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    check_bind(SQLITE_TOOBIG);
    return *this;
  }
  // A default string_view has a null data(), which SQLite would bind as NULL; it is "".
  const char* data = text.data() != nullptr ? text.data() : "";
  // SQLITE_TRANSIENT: SQLite copies the bytes, so callers may pass temporaries.
  check_bind(sqlite3_bind_text(statement_.get(), index, data, static_cast<int>(text.size()),
                               SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind(int index, std::int64_t number) {
  check_bind(sqlite3_bind_int64(statement_.get(), index, number));
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(statement_.get(), index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_error_) return Fail("binding a parameter: " + *bind_error_);
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto error = SqliteError(db_, rc);
  sqlite3_reset(statement_.get());
  return error;
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) {
      reset();
      return row.error();
    }
    if (!*row) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_error_.reset();
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return {};
  // column_bytes after column_text: the documented order for getting the length of the text.
  const int size = sqlite3_column_bytes(statement_.get(), column);
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return column_text(column);
}

std::optional<std::int64_t> Statement::column_optional_int(int column) const {
  if (sqlite3_column_type(statement_.get(), column) == SQLITE_NULL) return std::nullopt;
  return column_int(column);
}

Result<Database> Database::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_EXRESCODE, nullptr);
  Database db(raw);  // owns the handle even when opening failed, as sqlite3_open_v2 requires
  if (rc != SQLITE_OK) return SqliteError(raw, rc);
  return db;
}

Result<void> Database::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Fail(std::move(text));
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return SqliteError(db_.get(), rc);
  }
  return Statement(db_.get(), raw);
}

Result<std::string> Database::query_text(const std::string& sql) {
  auto statement = prepare(sql);
  if (!statement) return statement.error();
  auto row = statement->step();
  if (!row) return row.error();
  return *row ? statement->column_text(0) : std::string();
}

void Database::release_memory() {
  sqlite3_db_release_memory(db_.get());
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_.get());
}

Result<Transaction> Transaction::Begin(Database& db) {
  if (auto begun = db.exec("BEGIN IMMEDIATE"); !begun) return begun.error();
  return Transaction(db);
}

Result<Transaction> Transaction::BeginRead(Database& db) {
  if (auto begun = db.exec("BEGIN"); !begun) return begun.error();
  return Transaction(db);
}

Transaction::~Transaction() {
  // Best effort: if ROLLBACK itself fails the connection is unusable and SQLite rolls back when
  // it is closed, or on the next open from the WAL; nothing half-written survives either way.
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  if (auto committed = db_->exec("COMMIT"); !committed) return committed.error();
  db_ = nullptr;
  return {};
}

}  // namespace costwatch::store::sqlite
