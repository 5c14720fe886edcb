#include "sinks/file/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sinks/json_lines.h"

namespace costwatch::sinks {
namespace {

std::string ErrnoText() {
  return std::strerror(errno);
}

// A rename is only durable once the directory holding it is synced.
void SyncDirectoryOf(const std::string& path) {
  const auto dir = std::filesystem::path(path).parent_path();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<std::unique_ptr<FileSink>> FileSink::Create(std::string name, FileSinkOptions options) {
  if (options.path.empty()) return Fail("sink " + name + ": path is empty");
  if (options.max_bytes == 0) return Fail("sink " + name + ": max_bytes must be positive");
  if (options.max_files < 0) return Fail("sink " + name + ": max_files must not be negative");
  std::unique_ptr<FileSink> sink(new FileSink(std::move(name), std::move(options)));
  if (auto opened = sink->Open(); !opened.ok()) return opened.error();
  return sink;
}

FileSink::FileSink(std::string name, FileSinkOptions options)
    : name_(std::move(name)), options_(std::move(options)) {}

FileSink::~FileSink() {
  Close();
}

void FileSink::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<void> FileSink::Open() {
  Close();
  const auto mode = static_cast<mode_t>(options_.file_mode);
  // Created here (the first time, after each rotation): given exactly file_mode, which the umask
  // could only narrow. A file that was there keeps the permissions it has.
  int fd = ::open(options_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  const bool created = fd >= 0;
  if (!created && errno == EEXIST)
    fd = ::open(options_.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Fail("cannot open " + options_.path + ": " + ErrnoText());
  if (created && ::fchmod(fd, mode) != 0) {
    const std::string error = ErrnoText();
    ::close(fd);
    return Fail("cannot set the permissions of " + options_.path + ": " + error);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string error = ErrnoText();
    ::close(fd);
    return Fail("cannot stat " + options_.path + ": " + error);
  }
  fd_ = fd;
  size_ = st.st_size;
  device_ = st.st_dev;
  inode_ = st.st_ino;
  return {};
}

Result<void> FileSink::Reopen() {
  return Open();
}

Result<void> FileSink::ReopenIfMoved() {
  struct stat st {};
  if (fd_ >= 0 && ::stat(options_.path.c_str(), &st) == 0 && st.st_dev == device_ &&
      st.st_ino == inode_)
    return {};
  return Open();
}

Result<void> FileSink::Rotate() {
  Close();
  // path.(n-1) -> path.n, ..., path -> path.1; renaming over path.max_files drops the oldest.
  const auto numbered = [this](int n) { return options_.path + "." + std::to_string(n); };
  if (options_.max_files == 0) {
    if (::unlink(options_.path.c_str()) != 0 && errno != ENOENT)
      return Fail("cannot remove " + options_.path + ": " + ErrnoText());
  } else {
    for (int n = options_.max_files - 1; n >= 1; --n) {
      if (::rename(numbered(n).c_str(), numbered(n + 1).c_str()) != 0 && errno != ENOENT)
        return Fail("cannot rotate " + numbered(n) + ": " + ErrnoText());
    }
    if (::rename(options_.path.c_str(), numbered(1).c_str()) != 0 && errno != ENOENT)
      return Fail("cannot rotate " + options_.path + ": " + ErrnoText());
  }
  SyncDirectoryOf(options_.path);
  return Open();
}

Result<void> FileSink::WriteAll(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail("cannot write " + options_.path + ": " + ErrnoText());
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

DeliveryResult FileSink::deliver(std::span<const EventRecord> events) {
  const auto retry = [](const Error& error) {
    return DeliveryResult{Outcome::kRetry, error.message, std::nullopt};
  };
  if (events.empty()) return {};
  const std::string lines = JsonLines(events);
  if (auto moved = ReopenIfMoved(); !moved.ok()) return retry(moved.error());
  // A batch bigger than max_bytes still goes whole into a fresh file: splitting it would
  // break the all-or-nothing promise.
  if (size_ > 0 && static_cast<std::uint64_t>(size_) + lines.size() > options_.max_bytes) {
    if (auto rotated = Rotate(); !rotated.ok()) return retry(rotated.error());
  }
  const off_t before = size_;
  if (auto written = WriteAll(lines); !written.ok()) {
    // Cut a partial batch off again, so a retry does not leave half a line behind.
    (void)::ftruncate(fd_, before);
    return retry(written.error());
  }
  if (options_.fsync && ::fdatasync(fd_) != 0) {
    const Error error{"cannot sync " + options_.path + ": " + ErrnoText()};
    (void)::ftruncate(fd_, before);
    return retry(error);
  }
  size_ = before + static_cast<off_t>(lines.size());
  return {Outcome::kDelivered, std::to_string(events.size()) + " events written", std::nullopt};
}

}  // namespace costwatch::sinks
