// Appends events to a local file as JSON Lines, fsync'd per batch, rotated by size
// (path -> path.1 -> path.2 ...), and reopened when something else moved the file away
// (logrotate), so a daemon never writes into a file nobody reads.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "sinks/sink.h"
#include "sinks/sink_options.h"
#include "util/result.h"

namespace costwatch::sinks {

class FileSink final : public Sink {
 public:
  // Opens (creating) the file now, so a bad path fails at start-up rather than at the first
  // delivery.
  static Result<std::unique_ptr<FileSink>> Create(std::string name, FileSinkOptions options);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  [[nodiscard]] std::string_view name() const override { return name_; }
  // Bigger batches mean fewer fsyncs.
  [[nodiscard]] size_t max_batch() const override { return 1000; }
  // Writes the batch whole or not at all (a failed write is truncated away) and reports
  // I/O errors (disk full, permissions) as kRetry: they are the host's problem, not the events'.
  DeliveryResult deliver(std::span<const EventRecord> events) override;

  // Closes and reopens the path, e.g. on SIGHUP after an external rotation.
  Result<void> Reopen();

 private:
  FileSink(std::string name, FileSinkOptions options);
  Result<void> Open();
  Result<void> ReopenIfMoved();
  Result<void> Rotate();
  Result<void> WriteAll(std::string_view data);
  void Close();

  std::string name_;
  FileSinkOptions options_;
  int fd_ = -1;
  off_t size_ = 0;
  dev_t device_ = 0;
  ino_t inode_ = 0;
};

}  // namespace costwatch::sinks
