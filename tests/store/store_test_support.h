// Helpers shared by the store tests: a scratch directory with a real SQLite file in it, rows and
// a controllable clock.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "store/state_store.h"

namespace costwatch::store::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-store-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// year-month-day hh:mm, UTC.
inline TimePoint At(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / month / day} + hours{hour} + minutes{minute};
}

inline RowRecord Row(std::string day, std::string service, std::string id, bool estimated = false) {
  std::string key = R"([["DIMENSION","SERVICE",")" + service + R"("]])";
  std::string json = R"({"id":")" + id + R"(","time":")" + day + R"(T00:00:00Z"})";
  return RowRecord{"DAILY",       std::move(day),  std::move(key),
                   std::move(id), std::move(json), estimated};
}

// Fails the test with the store's message when a Result is an error.
#define COSTWATCH_ASSERT_OK(expr)                                             \
  do {                                                                        \
    const auto& costwatch_result_ = (expr);                                   \
    ASSERT_TRUE(costwatch_result_.ok()) << costwatch_result_.error().message; \
  } while (false)

// Opens the file with the plain SQLite API, to look at it as a person with sqlite3 would.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << sqlite3_errmsg(db_);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (message != nullptr ? message : "?");
    }
    sqlite3_free(message);
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    std::string result;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    } else if (sqlite3_step(statement) == SQLITE_ROW &&
               sqlite3_column_text(statement, 0) != nullptr) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
    return result;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline std::vector<std::int64_t> Seqs(const std::vector<OutboxEntry>& entries) {
  std::vector<std::int64_t> seqs;
  for (const auto& entry : entries) seqs.push_back(entry.seq);
  return seqs;
}

inline std::vector<std::string> Ids(const std::vector<OutboxEntry>& entries) {
  std::vector<std::string> ids;
  for (const auto& entry : entries) ids.push_back(entry.event_id);
  return ids;
}

}  // namespace costwatch::store::testing
