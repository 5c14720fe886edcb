#include "aws/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

extern char** environ;  // NOLINT: POSIX declares it for posix_spawn callers

namespace costwatch::aws {
namespace {

// Closes the file descriptor when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Result<void> MakePipe(Pipe& p) {
  std::array<int, 2> fds{};
  if (pipe2(fds.data(), O_CLOEXEC) != 0) return Fail(std::string("pipe: ") + std::strerror(errno));
  p.read.reset(fds[0]);
  p.write.reset(fds[1]);
  return {};
}

}  // namespace

Result<ProcessOutput> RunProcess(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout, size_t max_output) {
  if (argv.empty()) return Fail("empty command");
  Pipe out;
  Pipe err;
  if (auto r = MakePipe(out); !r) return r.error();
  if (auto r = MakePipe(err); !r) return r.error();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), STDERR_FILENO);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) return Fail("cannot run " + argv[0] + ": " + std::strerror(spawn_error));
  out.write.reset();
  err.write.reset();

  ProcessOutput result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<pollfd, 2> fds{pollfd{out.read.get(), POLLIN, 0}, pollfd{err.read.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  std::array<char, 4096> buffer{};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;  // EOF; poll ignores negative descriptors
        continue;
      }
      const size_t room = max_output - std::min(max_output, sinks[i]->size());
      if (static_cast<size_t>(n) > room) result.output_truncated = true;
      sinks[i]->append(buffer.data(), std::min(room, static_cast<size_t>(n)));
    }
  }

  // Killed also when it closed its output early but is still running past the deadline.
  if (result.timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, result.timed_out ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0) {
      if (errno == EINTR) continue;
      return Fail("lost track of " + argv[0] + ": " + std::strerror(errno));
    }
    // Its output is closed but it is still running: give it until the deadline.
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      continue;
    }
    usleep(10'000);
  }
  if (WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
  return result;
}

}  // namespace costwatch::aws
