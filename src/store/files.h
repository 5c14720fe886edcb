// The filesystem around the database: its directory and the lock that keeps a second daemon out.
#pragma once

#include <filesystem>
#include <string>
#include <utility>

#include "util/result.h"

namespace costwatch::store {

// Creates `dir` and any missing parents with mode 0700: the state holds the account's costs.
// Directories that already exist keep their mode.
Result<void> CreatePrivateDirectories(const std::filesystem::path& dir);

// Creates `file` empty with mode 0600 unless it exists, so SQLite (which copies the database's
// mode to its -wal and -shm files) never creates it world-readable under a lax umask.
Result<void> CreatePrivateFile(const std::filesystem::path& file);

// An exclusive flock(2) on `<db>.lock`. flock locks belong to the open file, so a second opener
// is refused even inside the same process, and the kernel releases the lock when the process
// dies however it dies (kill -9 included): a stale lock file never blocks a restart.
class LockFile {
 public:
  // Refuses with a message naming the holder's pid when another process holds the lock.
  static Result<LockFile> Acquire(const std::filesystem::path& path);

  LockFile(LockFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  LockFile& operator=(LockFile&& other) noexcept;
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  ~LockFile();

 private:
  explicit LockFile(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace costwatch::store
