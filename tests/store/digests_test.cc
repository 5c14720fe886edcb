// Schema 3: which digests were queued. A period is recorded once, with its messages, in one
// transaction; a version 2 database gains the table without losing anything.
#include <gtest/gtest.h>

#include <vector>

#include "store/state_store.h"
#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::TempDir;

TEST(DigestStore, RecordsAPeriodOnceWithItsMessages) {
  TempDir dir;
  auto store = StateStore::Open(dir.path() / "state.db");
  COSTWATCH_ASSERT_OK(store);
  const std::vector<QueuedMessage> messages = {
      {"notifier:mail", "morning-2026-11-28", R"({"digest":"morning"})"},
      {"archive", "morning-2026-11-28", R"({"type":"amazon.billing.digest"})"}};
  auto first = store->record_digest("morning", "2026-11-28", "morning-2026-11-28", messages,
                                    At(2026, 11, 29, 8));
  COSTWATCH_ASSERT_OK(first);
  EXPECT_TRUE(*first);
  auto again = store->record_digest("morning", "2026-11-28", "morning-2026-11-28", messages,
                                    At(2026, 11, 29, 9));
  COSTWATCH_ASSERT_OK(again);
  EXPECT_FALSE(*again);
  EXPECT_EQ(*store->outbox_depth("notifier:mail"), 1);
  EXPECT_EQ(*store->outbox_depth("archive"), 1);
  EXPECT_TRUE(*store->digest_sent("morning", "2026-11-28"));
  EXPECT_FALSE(*store->digest_sent("morning", "2026-11-29"));
  EXPECT_FALSE(*store->digest_sent("bill", "2026-11-28"));
  COSTWATCH_ASSERT_OK(
      store->record_digest("morning", "2026-11-29", "morning-2026-11-29", {}, At(2026, 11, 30, 8)));
  auto latest = store->latest_digests();
  COSTWATCH_ASSERT_OK(latest);
  ASSERT_EQ(latest->size(), 1U);
  EXPECT_EQ((*latest)[0].second, "2026-11-29");
}

TEST(DigestStore, AVersion2DatabaseGainsTheTable) {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  {
    auto store = StateStore::Open(path);
    COSTWATCH_ASSERT_OK(store);
    const std::vector<QueuedMessage> queued = {{"notifier:mail", "n1", "{}"}};
    COSTWATCH_ASSERT_OK(store->enqueue(queued, At(2026, 11, 2)));
  }
  {
    testing::RawDb raw(path);
    raw.exec("DROP TABLE digests_sent; UPDATE schema_version SET version = 2");
  }
  {
    auto reader = StateStore::Open(path, OpenMode::kInspect);
    ASSERT_FALSE(reader.ok());
    EXPECT_NE(reader.error().message.find("start `costwatch run` once"), std::string::npos);
  }
  auto store = StateStore::Open(path);
  COSTWATCH_ASSERT_OK(store);
  EXPECT_EQ(*store->outbox_depth("notifier:mail"), 1);
  auto sent = store->digest_sent("morning", "2026-11-28");
  COSTWATCH_ASSERT_OK(sent);
  EXPECT_FALSE(*sent);
  testing::RawDb raw(path);
  EXPECT_EQ(raw.text("SELECT version FROM schema_version"), "3");
}

}  // namespace
}  // namespace costwatch::store
