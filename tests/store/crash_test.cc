// kill -9 in the middle of delivery: a child process records and delivers, dies without any
// cleanup, and the parent checks that reopening the store loses nothing.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::Ids;
using testing::RawDb;
using testing::Row;
using testing::Seqs;
using testing::TempDir;

// Runs `body` in a forked child, which ends with _exit(): no destructors, no sqlite3_close, no
// flush, like a process killed at that point. Returns the child's exit status.
template <class Body>
int InChild(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) _exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

std::vector<RowRecord> Batch(int batch, int size) {
  std::vector<RowRecord> rows;
  for (int i = 0; i < size; ++i) {
    const std::string id = "b" + std::to_string(batch) + "r" + std::to_string(i);
    rows.push_back(Row("2024-03-01", id, id));
  }
  return rows;
}

TEST(StoreCrash, ADeathWithoutCleanupKeepsEveryUndeliveredEvent) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  const std::vector<std::string> sinks = {"http", "file"};
  const TimePoint now = At(2024, 3, 2, 6);
  const int status = InChild([&]() -> int {
    auto store = StateStore::Open(path);
    if (!store) return 10;
    if (!store->record_fetch("ce", "2024-03-01", "2024-03-02", Batch(0, 10), sinks, now)) {
      return 11;
    }
    if (!store->add_requests("ce", 1, now)) return 12;
    auto delivered = store->claim("http", 2, now);
    if (!delivered || !store->mark_delivered("http", Seqs(*delivered), now)) return 13;
    auto in_flight = store->claim("http", 3, now);  // "sending" these when killed
    if (!in_flight || in_flight->size() != 3) return 14;
    _exit(0);  // here, with the store still open: nothing is closed or flushed
  });
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  // The child's lock died with it; the WAL it left behind is recovered on open.
  auto store = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(store);
  auto http = store->claim("http", 100, now);
  COSTWATCH_ASSERT_OK(http);
  std::vector<std::string> expected;
  for (int i = 2; i < 10; ++i) expected.push_back("b0r" + std::to_string(i));
  EXPECT_EQ(Ids(*http), expected);  // the three in flight first, with their ids unchanged
  EXPECT_EQ(*store->outbox_depth("file"), 10);
  auto counts = store->request_counts(now);
  COSTWATCH_ASSERT_OK(counts);
  EXPECT_EQ(counts->today, 1);
  auto checkpoint = store->checkpoint("ce");
  COSTWATCH_ASSERT_OK(checkpoint);
  EXPECT_TRUE(checkpoint->has_value());
}

// The daemon loop with a consumer log standing in for the receiver: an id is written to the log
// ("sent") before it is marked delivered, so a kill between the two re-sends it, with the same
// id. SIGKILL lands at an arbitrary point.
int DeliveryLoop(const std::filesystem::path& path, const std::filesystem::path& log,
                 int progress_fd) {
  auto store = StateStore::Open(path);
  if (!store) return 20;
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return 21;
  const std::vector<std::string> sinks = {"http"};
  for (int batch = 0;; ++batch) {
    const TimePoint now = At(2024, 3, 2, 6) + std::chrono::seconds(batch);
    if (!store->record_fetch("ce", "2024-03-01", "2024-03-02", Batch(batch, 20), sinks, now)) {
      return 22;
    }
    auto entries = store->claim("http", 7, now);
    if (!entries) return 23;
    for (const auto& entry : *entries) {
      const std::string line = entry.event_id + "\n";
      if (::write(log_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        return 24;
      }
    }
    if (!store->mark_delivered("http", Seqs(*entries), now)) return 25;
    if (::write(progress_fd, "x", 1) != 1) return 26;
  }
}

TEST(StoreCrash, Kill9DuringDeliveryLosesNothing) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  const auto log = dir.path() / "received.log";
  int progress[2];
  ASSERT_EQ(::pipe(progress), 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(progress[0]);
    _exit(DeliveryLoop(path, log, progress[1]));
  }
  ::close(progress[1]);
  char buffer[8];
  for (int done = 0; done < 25;) {  // let it run a while, then kill it mid-flight
    const ssize_t got = ::read(progress[0], buffer, sizeof buffer);
    ASSERT_GT(got, 0) << "the child stopped early";
    done += static_cast<int>(got);
  }
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(progress[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);

  // Recovery: the restarted daemon drains the outbox into the same receiver.
  auto store = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(store);
  const TimePoint later = At(2024, 3, 3);
  std::vector<std::string> received;
  {
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) received.push_back(line);
  }
  for (;;) {
    auto entries = store->claim("http", 50, later);
    COSTWATCH_ASSERT_OK(entries);
    if (entries->empty()) break;
    for (const auto& entry : *entries) received.push_back(entry.event_id);
    COSTWATCH_ASSERT_OK(store->mark_delivered("http", Seqs(*entries), later));
  }
  EXPECT_EQ(*store->outbox_depth("http"), 0);

  // Every recorded row reached the receiver; duplicates, if any, carry the same id.
  RawDb raw(path);
  const int rows = std::stoi(raw.text("SELECT count(*) FROM cost_rows"));
  EXPECT_GE(rows, 25 * 20);
  const std::set<std::string> unique(received.begin(), received.end());
  EXPECT_EQ(static_cast<int>(unique.size()), rows);
  EXPECT_LE(received.size() - unique.size(), 7U);  // at most the batch in flight
  for (const auto& id : unique) {
    EXPECT_EQ(raw.text("SELECT count(*) FROM cost_rows WHERE event_id = '" + id + "'"), "1") << id;
  }
}

}  // namespace
}  // namespace costwatch::store
