#include "sinks/file/file_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sinks/sink_factory.h"
#include "sinks/stdout/stdout_sink.h"

namespace costwatch::sinks {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class FileSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("costwatch-file-sink-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<FileSink> Make(std::uint64_t max_bytes = 1 << 20, int max_files = 2) {
    FileSinkOptions o;
    o.path = (dir_ / "events.jsonl").string();
    o.max_bytes = max_bytes;
    o.max_files = max_files;
    auto sink = FileSink::Create("archive", o);
    EXPECT_TRUE(sink.ok()) << sink.error().message;
    return std::move(*sink);
  }
  fs::path dir_;
};

const std::vector<EventRecord> kTwo = {{"a", R"({"id":"a"})"}, {"b", R"({"id":"b","x":"é"})"}};

unsigned ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

// Sets the umask for one scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : before_(::umask(mask)) {}
  ~Umask() { ::umask(before_); }
  Umask(const Umask&) = delete;
  Umask& operator=(const Umask&) = delete;

 private:
  mode_t before_;
};

TEST_F(FileSinkTest, FilesAreCreatedPrivateWhateverTheUmask) {
  const Umask lax(0);
  auto sink = Make(32, 2);
  EXPECT_EQ(sink->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(sink->deliver(kTwo).outcome, Outcome::kDelivered);  // rotates
  EXPECT_EQ(ModeOf(dir_ / "events.jsonl"), 0600U);
  EXPECT_EQ(ModeOf(dir_ / "events.jsonl.1"), 0600U);
}

TEST_F(FileSinkTest, FileModeIsConfigurableAndExact) {
  const Umask strict(077);  // would take the group's read away
  FileSinkOptions o;
  o.path = (dir_ / "events.jsonl").string();
  o.max_bytes = 32;
  o.file_mode = 0640;
  auto sink = FileSink::Create("archive", o);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  EXPECT_EQ((*sink)->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ((*sink)->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(ModeOf(dir_ / "events.jsonl"), 0640U);
  EXPECT_EQ(ModeOf(dir_ / "events.jsonl.1"), 0640U);
}

TEST_F(FileSinkTest, AnExistingFileKeepsItsMode) {
  { std::ofstream(dir_ / "events.jsonl") << ""; }
  fs::permissions(dir_ / "events.jsonl", fs::perms(0660));
  auto sink = Make();
  EXPECT_EQ(sink->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(ModeOf(dir_ / "events.jsonl"), 0660U);
}

TEST_F(FileSinkTest, AppendsJsonLines) {
  auto sink = Make();
  EXPECT_EQ(sink->name(), "archive");
  EXPECT_EQ(sink->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"),
            "{\"id\":\"a\"}\n{\"id\":\"b\",\"x\":\"é\"}\n{\"id\":\"a\"}\n");
  // A new sink on the same path appends rather than truncating.
  auto again = Make();
  EXPECT_EQ(again->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl").size(), 11U + 20U + 11U + 11U);
}

TEST_F(FileSinkTest, RotatesBySizeAndKeepsMaxFiles) {
  // Each batch of one event is 11 bytes; 25 bytes hold two.
  auto sink = Make(25, 2);
  for (char c = 'a'; c <= 'g'; ++c) {
    const std::string json = std::string(R"({"id":")") + c + "\"}";
    const EventRecord e{json, json};
    ASSERT_EQ(sink->deliver({&e, 1}).outcome, Outcome::kDelivered);
  }
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"), "{\"id\":\"g\"}\n");
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl.1"), "{\"id\":\"e\"}\n{\"id\":\"f\"}\n");
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl.2"), "{\"id\":\"c\"}\n{\"id\":\"d\"}\n");
  EXPECT_FALSE(fs::exists(dir_ / "events.jsonl.3"));
}

TEST_F(FileSinkTest, OversizedBatchGoesWholeIntoAFreshFile) {
  auto sink = Make(15, 1);
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  ASSERT_EQ(sink->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"), "{\"id\":\"a\"}\n{\"id\":\"b\",\"x\":\"é\"}\n");
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl.1"), "{\"id\":\"a\"}\n");
}

TEST_F(FileSinkTest, NoRotatedFilesWhenMaxFilesIsZero) {
  auto sink = Make(12, 0);
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"), "{\"id\":\"a\"}\n");
  EXPECT_FALSE(fs::exists(dir_ / "events.jsonl.1"));
}

TEST_F(FileSinkTest, ReopensAfterExternalRotationOrDeletion) {
  auto sink = Make();
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  fs::rename(dir_ / "events.jsonl", dir_ / "moved.jsonl");  // logrotate's way
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"), "{\"id\":\"a\"}\n");
  EXPECT_EQ(ReadFile(dir_ / "moved.jsonl"), "{\"id\":\"a\"}\n");
  fs::remove(dir_ / "events.jsonl");
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl"), "{\"id\":\"a\"}\n");
  EXPECT_TRUE(sink->Reopen().ok());
  ASSERT_EQ(sink->deliver({kTwo.data(), 1}).outcome, Outcome::kDelivered);
  EXPECT_EQ(ReadFile(dir_ / "events.jsonl").size(), 22U);
}

TEST_F(FileSinkTest, WithoutFsyncStillWrites) {
  FileSinkOptions o;
  o.path = (dir_ / "nosync.jsonl").string();
  o.fsync = false;
  auto sink = FileSink::Create("n", o);
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ((*sink)->deliver(kTwo).outcome, Outcome::kDelivered);
  EXPECT_EQ(fs::file_size(dir_ / "nosync.jsonl"), 31U);
}

TEST_F(FileSinkTest, UnwritableDirectoryIsRetried) {
  auto sink = Make();
  fs::remove_all(dir_);  // the directory goes away: reopening fails
  const auto r = sink->deliver(kTwo);
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_THAT(r.message, HasSubstr("cannot open"));
}

TEST_F(FileSinkTest, RefusesBadOptions) {
  FileSinkOptions o;
  EXPECT_THAT(FileSink::Create("f", o).error().message, HasSubstr("sink f: path is empty"));
  o.path = (dir_ / "no" / "such" / "dir.jsonl").string();
  EXPECT_THAT(FileSink::Create("f", o).error().message, HasSubstr("cannot open"));
  o.path = (dir_ / "x").string();
  o.max_bytes = 0;
  EXPECT_FALSE(FileSink::Create("f", o).ok());
}

TEST(StdoutSinkTest, WritesJsonLinesToTheDescriptor) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  StdoutSink sink("out", fds[1]);
  EXPECT_EQ(sink.name(), "out");
  EXPECT_GT(sink.max_batch(), 1U);
  EXPECT_EQ(sink.deliver(kTwo).outcome, Outcome::kDelivered);
  ::close(fds[1]);
  std::string got(64, '\0');
  const ssize_t n = ::read(fds[0], got.data(), got.size());
  ::close(fds[0]);
  got.resize(n > 0 ? static_cast<size_t>(n) : 0);
  EXPECT_EQ(got, "{\"id\":\"a\"}\n{\"id\":\"b\",\"x\":\"é\"}\n");
}

TEST(StdoutSinkTest, ClosedOutputIsRetried) {
  StdoutSink sink("out", -1);
  const auto r = sink.deliver(kTwo);
  EXPECT_EQ(r.outcome, Outcome::kRetry);
  EXPECT_THAT(r.message, HasSubstr("cannot write to stdout"));
}

TEST(SinkFactoryTest, BuildsEveryType) {
  auto out = MakeSink({"o", StdoutSinkOptions{}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->name(), "o");
  HttpSinkOptions h;
  h.url = "http://127.0.0.1:1/";
  h.mode = HttpMode::kBatch;
  h.batch_size = 7;
  auto web = MakeSink({"w", h});
  ASSERT_TRUE(web.ok());
  EXPECT_EQ((*web)->max_batch(), 7U);
  const auto path = fs::temp_directory_path() / ("costwatch-factory-" + std::to_string(getpid()));
  FileSinkOptions f;
  f.path = path.string();
  auto file = MakeSink({"f", f});
  ASSERT_TRUE(file.ok());
  fs::remove(path);
  EXPECT_THAT(MakeSink({"", StdoutSinkOptions{}}).error().message, HasSubstr("needs a name"));
  h.url = "";
  EXPECT_FALSE(MakeSink({"w", h}).ok());
}

TEST(SinkFactoryTest, UnreachableReceiverIsRetried) {
  HttpSinkOptions h;
  h.url = "http://127.0.0.1:1/";  // nothing listens on port 1
  h.timeout = std::chrono::milliseconds(2000);
  auto web = MakeSink({"w", h});
  ASSERT_TRUE(web.ok());
  const EventRecord e{"a", R"({"id":"a"})"};
  EXPECT_EQ((*web)->deliver({&e, 1}).outcome, Outcome::kRetry);
}

}  // namespace
}  // namespace costwatch::sinks
