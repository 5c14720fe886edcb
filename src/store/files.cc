#include "store/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace costwatch::store {
namespace {

std::string ErrnoText(int error) {
  return std::strerror(error);
}  // NOLINT(concurrency-mt-unsafe)

}  // namespace

Result<void> CreatePrivateDirectories(const std::filesystem::path& dir) {
  if (dir.empty()) return {};
  std::filesystem::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return Fail("creating directory " + partial.string() + ": " + ErrnoText(errno));
    }
  }
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return Fail(dir.string() + " exists but is not a directory");
  }
  return {};
}

Result<void> CreatePrivateFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("creating " + file.string() + ": " + ErrnoText(errno));
  ::close(fd);
  return {};
}

Result<LockFile> LockFile::Acquire(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("opening lock file " + path.string() + ": " + ErrnoText(errno));
  LockFile lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error != EWOULDBLOCK) {
      return Fail("locking " + path.string() + ": " + ErrnoText(error));
    }
    char pid[32] = {};
    const ssize_t got = ::pread(fd, pid, sizeof pid - 1, 0);
    std::string holder = got > 0 ? std::string(pid, static_cast<size_t>(got)) : "";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return Fail("another costwatch daemon" + (holder.empty() ? "" : " (pid " + holder + ")") +
                " is using this state (" + path.string() +
                " is locked); stop it first, or give this one its own state file");
  }
  // The pid is only for the message above; the lock itself is what counts.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)::pwrite(fd, pid.data(), pid.size(), 0);
  return lock;
}

LockFile& LockFile::operator=(LockFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

LockFile::~LockFile() {
  // Closing the last descriptor of the open file releases the flock.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace costwatch::store
