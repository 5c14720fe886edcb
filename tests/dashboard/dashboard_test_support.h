// Helpers shared by the dashboard tests: a scratch state database filled through the real
// StateStore, the routes of a Context pointing at it, and JSON answers parsed with simdjson.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "dashboard/dashboard.h"
#include "store/state_store.h"
#include "web/router.h"

namespace costwatch::dashboard::testing {

// year-month-day hh:mm, UTC.
inline Clock::time_point At(int year, unsigned month, unsigned day, int hour = 0) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / month / day} + hours{hour};
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-dashboard-XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    context_.state_path = dir_ / "state.db";
    context_.now = [this] { return now_; };
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // The daemon's store, created on first use, as `costwatch run` would write it.
  store::StateStore& Store() {
    if (!store_) {
      auto opened = store::StateStore::Open(context_.state_path);
      EXPECT_TRUE(opened.ok()) << opened.error().message;
      store_.emplace(std::move(*opened));
    }
    return *store_;
  }

  web::Response Get(const std::string& path, std::map<std::string, std::string> query = {}) {
    web::Router router;
    AddRoutes(router, context_);
    return router.Handle({"GET", path, std::move(query)});
  }

  // The answer's JSON, parsed; fails the test on a non-JSON body.
  simdjson::dom::element Json(const web::Response& response) {
    EXPECT_EQ(response.content_type, "application/json");
    auto parsed = parser_.parse(response.body);
    EXPECT_EQ(parsed.error(), simdjson::SUCCESS) << response.body;
    return parsed.value_unsafe();
  }

  std::filesystem::path dir_;
  Context context_;
  Clock::time_point now_ = At(2026, 11, 20, 12);
  std::optional<store::StateStore> store_;
  simdjson::dom::parser parser_;
};

inline std::string Text(simdjson::dom::element element) {
  std::string_view text;
  EXPECT_EQ(element.get(text), simdjson::SUCCESS);
  return std::string(text);
}

inline std::int64_t Number(simdjson::dom::element element) {
  std::int64_t number = -1;
  EXPECT_EQ(element.get(number), simdjson::SUCCESS);
  return number;
}

}  // namespace costwatch::dashboard::testing
