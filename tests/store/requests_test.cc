#include "store_test_support.h"

namespace costwatch::store {
namespace {

using testing::At;
using testing::TempDir;

class StoreRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = StateStore::Open(dir_.path() / "state.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_.emplace(std::move(*opened));
  }
  TempDir dir_;
  std::optional<StateStore> store_;
};

TEST_F(StoreRequests, CountsByUtcDayAndMonthAcrossAMonthBoundary) {
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 5, At(2024, 1, 31, 12)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 2, At(2024, 2, 1, 0, 30)));
  COSTWATCH_ASSERT_OK(store_->add_requests("other", 1, At(2024, 2, 1, 23, 59)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 4, At(2024, 2, 29, 10)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 7, At(2024, 3, 1, 0)));

  auto jan31 = store_->request_counts(At(2024, 1, 31, 23, 59));
  COSTWATCH_ASSERT_OK(jan31);
  EXPECT_EQ(jan31->today, 5);
  EXPECT_EQ(jan31->this_month, 5);

  auto feb1 = store_->request_counts(At(2024, 2, 1, 8));
  COSTWATCH_ASSERT_OK(feb1);
  EXPECT_EQ(feb1->today, 3);       // both sources
  EXPECT_EQ(feb1->this_month, 7);  // February so far: the 1st and the 29th (a leap day)

  auto feb29 = store_->request_counts(At(2024, 2, 29, 23));
  COSTWATCH_ASSERT_OK(feb29);
  EXPECT_EQ(feb29->today, 4);
  EXPECT_EQ(feb29->this_month, 7);
  EXPECT_EQ(feb29->today_cents(), 4);
  EXPECT_EQ(feb29->month_cents(), 7);

  auto mar1 = store_->request_counts(At(2024, 3, 1, 1));
  COSTWATCH_ASSERT_OK(mar1);
  EXPECT_EQ(mar1->today, 7);
  EXPECT_EQ(mar1->this_month, 7);

  auto quiet = store_->request_counts(At(2024, 3, 2, 1));
  COSTWATCH_ASSERT_OK(quiet);
  EXPECT_EQ(quiet->today, 0);
  EXPECT_EQ(quiet->this_month, 7);
}

TEST_F(StoreRequests, DecemberRollsIntoTheNextYear) {
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 3, At(2024, 12, 31, 23)));
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 1, At(2025, 1, 1, 0)));
  EXPECT_EQ(store_->request_counts(At(2024, 12, 31, 23, 30))->this_month, 3);
  EXPECT_EQ(store_->request_counts(At(2025, 1, 1, 1))->this_month, 1);
}

TEST_F(StoreRequests, StatusShowsThemAndNegativeCountsAreRefused) {
  COSTWATCH_ASSERT_OK(store_->add_requests("ce", 250, At(2024, 5, 10)));
  EXPECT_FALSE(store_->add_requests("ce", -1, At(2024, 5, 10)).ok());
  auto status = store_->status(At(2024, 5, 10, 12));
  COSTWATCH_ASSERT_OK(status);
  EXPECT_EQ(status->requests.today, 250);
  EXPECT_EQ(status->requests.month_cents(), 250);  // $2.50, in integer cents
}

}  // namespace
}  // namespace costwatch::store
