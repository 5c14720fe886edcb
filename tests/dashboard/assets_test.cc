// The embedded page: every asset served with its Content-Type and validators, / is the page,
// and the page refers only to what is embedded (no CDN, nothing that would 404 offline).
#include "dashboard/assets.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "dashboard_test_support.h"

namespace costwatch::dashboard {
namespace {

using testing::DashboardTest;

std::string Header(const web::Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class AssetsTest : public DashboardTest {};

TEST_F(AssetsTest, EachAssetIsServedWithItsContentTypeAndValidators) {
  const std::map<std::string, std::string> expected = {
      {"/index.html", "text/html; charset=utf-8"},
      {"/app.js", "text/javascript; charset=utf-8"},
      {"/style.css", "text/css; charset=utf-8"},
      {"/favicon.svg", "image/svg+xml"}};
  std::set<std::string> embedded;
  for (const Asset& asset : EmbeddedAssets()) embedded.insert(std::string(asset.path));
  for (const auto& [path, type] : expected) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(embedded.contains(path));
    const web::Response response = Get(path);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.content_type, type);
    EXPECT_FALSE(response.body.empty());
    EXPECT_TRUE(std::regex_match(Header(response, "ETag"), std::regex(R"("[0-9a-f]{20}")")));
    EXPECT_EQ(Header(response, "Cache-Control"), "no-cache");
  }
}

TEST_F(AssetsTest, TheRootIsThePageWithARestrictivePolicy) {
  const web::Response root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.body, Get("/index.html").body);
  EXPECT_NE(root.body.find("<!doctype html>"), std::string::npos);
  const std::string policy = Header(root, "Content-Security-Policy");
  EXPECT_NE(policy.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos);
}

TEST_F(AssetsTest, TheETagChangesWithTheBody) {
  std::set<std::string> tags;
  for (const Asset& asset : EmbeddedAssets()) tags.insert(std::string(asset.etag));
  EXPECT_EQ(tags.size(), EmbeddedAssets().size());
}

TEST_F(AssetsTest, ThePageRefersOnlyToEmbeddedAssets) {
  web::Router router;
  AddRoutes(router, context_);
  const std::string page = Get("/").body;
  const std::regex reference(R"re((?:src|href)="([^"]*)")re");
  int references = 0;
  for (auto match = std::sregex_iterator(page.begin(), page.end(), reference);
       match != std::sregex_iterator(); ++match) {
    const std::string target = (*match)[1];
    SCOPED_TRACE(target);
    EXPECT_TRUE(target.starts_with("/")) << "an absolute URL would need the network";
    EXPECT_TRUE(router.Has(target));
    ++references;
  }
  EXPECT_GE(references, 3);
  // The script fetches only the dashboard's own APIs.
  const std::string script = Get("/app.js").body;
  EXPECT_EQ(script.find("http://"), script.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(script.find("https://"), std::string::npos);
}

TEST_F(AssetsTest, TheAssetsStaySmall) {
  std::size_t total = 0;
  for (const Asset& asset : EmbeddedAssets()) total += asset.body.size();
  EXPECT_LT(total, 64U * 1024U) << "the dashboard is meant to be a few tens of KB";
}

TEST_F(AssetsTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(Get("/app.jsx").status, 404);
  EXPECT_EQ(Get("/api/nothing").status, 404);
}

}  // namespace
}  // namespace costwatch::dashboard
