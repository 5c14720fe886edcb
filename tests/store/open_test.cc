#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "store/schema.h"
#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::RawDb;
using testing::Row;
using testing::TempDir;

EnvLookup Env(std::map<std::string, std::string, std::less<>> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
}

unsigned Mode(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777U;
}

TEST(StoreOpen, DefaultPathFollowsXdgThenHome) {
  auto xdg = DefaultStatePath(Env({{"XDG_STATE_HOME", "/x/state"}, {"HOME", "/home/u"}}));
  ASSERT_TRUE(xdg.ok());
  EXPECT_EQ(*xdg, "/x/state/costwatch/state.db");
  // The XDG spec: a relative XDG_STATE_HOME is invalid and ignored.
  auto relative = DefaultStatePath(Env({{"XDG_STATE_HOME", "state"}, {"HOME", "/home/u"}}));
  ASSERT_TRUE(relative.ok());
  EXPECT_EQ(*relative, "/home/u/.local/state/costwatch/state.db");
  auto home = DefaultStatePath(Env({{"HOME", "/home/u"}}));
  ASSERT_TRUE(home.ok());
  EXPECT_EQ(*home, "/home/u/.local/state/costwatch/state.db");
  auto none = DefaultStatePath(Env({}));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("HOME"), std::string::npos);
}

TEST(StoreOpen, CreatesPrivateDirectoriesAndFileInWalMode) {
  TempDir dir;
  const auto path = dir.path() / "a" / "b" / "state.db";
  {
    auto store = StateStore::Open(path);
    COSTWATCH_ASSERT_OK(store);
  }
  EXPECT_EQ(Mode(dir.path() / "a"), 0700U);
  EXPECT_EQ(Mode(dir.path() / "a" / "b"), 0700U);
  EXPECT_EQ(Mode(path), 0600U);
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");  // WAL is stored in the file
  EXPECT_EQ(raw.text("SELECT version FROM schema_version"), std::to_string(kSchemaVersion));
}

TEST(StoreOpen, RefusesASecondDaemonAndAllowsOneAfterTheFirstCloses) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    auto first = StateStore::Open(path);
    COSTWATCH_ASSERT_OK(first);
    auto second = StateStore::Open(path);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().message.find("another costwatch daemon (pid " +
                                          std::to_string(::getpid()) + ")"),
              std::string::npos)
        << second.error().message;
    // `costwatch status` still reads beside the daemon.
    auto reader = StateStore::Open(path, OpenMode::kInspect);
    COSTWATCH_ASSERT_OK(reader);
    COSTWATCH_ASSERT_OK(first->add_requests("ce", 2, At(2024, 3, 1)));
    auto status = reader->status(At(2024, 3, 1, 1));
    COSTWATCH_ASSERT_OK(status);
    EXPECT_EQ(status->requests.today, 2);
  }
  auto again = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(again);
}

TEST(StoreOpen, InspectModeNeverWritesOrCreates) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  auto missing = StateStore::Open(path, OpenMode::kInspect);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no costwatch state at"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));

  { COSTWATCH_ASSERT_OK(StateStore::Open(path)); }
  auto reader = StateStore::Open(path, OpenMode::kInspect);
  COSTWATCH_ASSERT_OK(reader);
  EXPECT_FALSE(reader->add_requests("ce", 1, At(2024, 3, 1)).ok());
  auto status = reader->status(At(2024, 3, 1));
  COSTWATCH_ASSERT_OK(status);
  EXPECT_EQ(status->requests.today, 0);
}

TEST(StoreOpen, ReopeningKeepsEverything) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  const std::vector<std::string> sinks = {"http"};
  {
    auto store = StateStore::Open(path);
    COSTWATCH_ASSERT_OK(store);
    const std::vector<RowRecord> rows = {Row("2024-03-01", "EC2", "id1"),
                                         Row("2024-03-01", "S3", "id2")};
    COSTWATCH_ASSERT_OK(
        store->record_fetch("ce", "2024-03-01", "2024-03-02", rows, sinks, At(2024, 3, 2, 6)));
    COSTWATCH_ASSERT_OK(store->add_requests("ce", 3, At(2024, 3, 2, 6)));
    auto claimed = store->claim("http", 1, At(2024, 3, 2, 6));
    COSTWATCH_ASSERT_OK(claimed);
    COSTWATCH_ASSERT_OK(
        store->dead_letter("http", testing::Seqs(*claimed), "400 Bad Request", At(2024, 3, 2, 6)));
  }
  auto store = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(store);
  auto checkpoint = store->checkpoint("ce");
  COSTWATCH_ASSERT_OK(checkpoint);
  ASSERT_TRUE(checkpoint->has_value());
  EXPECT_EQ((*checkpoint)->window_start, "2024-03-01");
  EXPECT_EQ((*checkpoint)->window_end, "2024-03-02");
  EXPECT_EQ((*checkpoint)->fetched_at, At(2024, 3, 2, 6));
  EXPECT_EQ((*checkpoint)->fetches, 1);
  auto status = store->status(At(2024, 3, 2, 7));
  COSTWATCH_ASSERT_OK(status);
  ASSERT_EQ(status->sources.size(), 1U);
  EXPECT_EQ(status->sources[0].rows, 2);
  ASSERT_EQ(status->sinks.size(), 1U);
  EXPECT_EQ(status->sinks[0].outbox_depth, 1);
  EXPECT_EQ(status->sinks[0].dead_letters, 1);
  EXPECT_EQ(status->sinks[0].last_error, "400 Bad Request");
  EXPECT_EQ(status->requests.today, 3);
  // The same rows again are not new: a restart re-emits nothing already recorded.
  const std::vector<RowRecord> rows = {Row("2024-03-01", "EC2", "id1"),
                                       Row("2024-03-01", "S3", "id2")};
  auto summary =
      store->record_fetch("ce", "2024-03-01", "2024-03-02", rows, sinks, At(2024, 3, 2, 8));
  COSTWATCH_ASSERT_OK(summary);
  EXPECT_EQ(summary->unchanged_rows, 2);
  EXPECT_EQ(summary->events_queued, 0);
}

TEST(StoreOpen, RefusesANewerSchemaWithAClearMessage) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  { COSTWATCH_ASSERT_OK(StateStore::Open(path)); }
  {
    RawDb raw(path);
    raw.exec("UPDATE schema_version SET version = 7");
  }
  for (const auto mode : {OpenMode::kDaemon, OpenMode::kInspect}) {
    auto store = StateStore::Open(path, mode);
    ASSERT_FALSE(store.ok());
    EXPECT_NE(store.error().message.find("has state schema version 7, but this costwatch "
                                         "understands versions up to " +
                                         std::to_string(kSchemaVersion)),
              std::string::npos)
        << store.error().message;
  }
}

TEST(StoreOpen, RefusesSomeoneElsesDatabase) {
  TempDir dir;
  const auto path = dir.path() / "other.db";
  {
    RawDb raw(path);
    raw.exec("CREATE TABLE photos (id INTEGER)");
  }
  auto store = StateStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("not a costwatch state database"), std::string::npos);
  RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT count(*) FROM sqlite_schema"), "1");  // left untouched
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  std::ofstream(path) << "this is not sqlite, it is a long enough text file to have a header\n";
  auto store = StateStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("state database " + path.string()), std::string::npos)
      << store.error().message;
}

}  // namespace
}  // namespace costwatch::store

namespace costwatch::store {
namespace {

// A database written by the first release (schema 1) gains the alarm tables and keeps its rows.
TEST(StoreOpen, MigratesAVersionOneDatabaseKeepingItsRows) {
  testing::TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    auto store = StateStore::Open(path);
    COSTWATCH_ASSERT_OK(store);
    const std::vector<RowRecord> rows = {testing::Row("2026-11-01", "EC2", "a")};
    const std::vector<std::string> sinks = {"events"};
    COSTWATCH_ASSERT_OK(store->record_fetch("aws", "2026-11-01", "2026-11-02", rows, sinks,
                                            testing::At(2026, 11, 2)));
  }
  {
    testing::RawDb raw(path);
    raw.exec(
        "DROP TABLE alarm_states; DROP TABLE alarm_history; DROP TABLE forecasts;"
        " DROP TABLE digests_sent; UPDATE schema_version SET version = 1");
  }
  auto store = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(store);
  auto rows = store->rows("aws", "DAILY", "2026-11-01", "2026-11-02");
  COSTWATCH_ASSERT_OK(rows);
  EXPECT_EQ(rows->size(), 1U);
  auto states = store->alarm_states();
  COSTWATCH_ASSERT_OK(states);
  EXPECT_TRUE(states->empty());
}

}  // namespace
}  // namespace costwatch::store
