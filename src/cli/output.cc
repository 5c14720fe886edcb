#include "cli/output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace costwatch::cli {
namespace {

void WriteStderrLine(std::string_view prefix, std::string_view message) {
  std::string line(prefix);
  for (char c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
  line += '\n';
  // Best effort: there is nowhere left to report a failure to write to stderr.
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace

Result<void> WriteStdout(std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fail(std::string("cannot write to stdout: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return {};
}

void PrintError(std::string_view message) {
  WriteStderrLine("costwatch: error: ", message);
}

void PrintNote(std::string_view message) {
  WriteStderrLine("costwatch: ", message);
}

}  // namespace costwatch::cli
