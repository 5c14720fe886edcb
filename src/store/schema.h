// The state database's schema and its migrations. docs/state.md describes every table.
#pragma once

#include <string>

#include "store/sqlite.h"
#include "util/result.h"

namespace costwatch::store {

// The schema version this build writes. Each migration moves the schema up by one.
inline constexpr int kSchemaVersion = 3;

// Brings the database up to kSchemaVersion, one transaction per migration, so a crash during an
// upgrade leaves the previous version intact. Refuses a database written by a newer costwatch
// (its schema may mean things this build does not know) and a file that is some other program's
// SQLite database. `path` is only used in messages.
Result<void> Migrate(sqlite::Database& db, const std::string& path);

// For read-only users (`costwatch status`): checks the version without changing anything.
Result<void> CheckSchema(sqlite::Database& db, const std::string& path);

}  // namespace costwatch::store
