#include "web/router.h"

#include <gtest/gtest.h>

namespace costwatch::web {
namespace {

Router EchoRouter() {
  Router router;
  router.Get("/api/echo", [](const Request& request) {
    const auto days = request.query.find("days");
    return JsonResponse(days == request.query.end() ? "{}" : days->second);
  });
  return router;
}

TEST(RouterTest, CallsTheHandlerOfTheExactPath) {
  const Router router = EchoRouter();
  const Response response = router.Handle({"GET", "/api/echo", {{"days", "30"}}});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "30");
  EXPECT_TRUE(router.Has("/api/echo"));
  EXPECT_FALSE(router.Has("/api/ech"));
}

TEST(RouterTest, HeadIsServedLikeGet) {
  EXPECT_EQ(EchoRouter().Handle({"HEAD", "/api/echo", {}}).status, 200);
}

TEST(RouterTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(EchoRouter().Handle({"GET", "/api/echo/", {}}).status, 404);
  EXPECT_EQ(EchoRouter().Handle({"GET", "/", {}}).status, 404);
}

TEST(RouterTest, OtherMethodsAreRefusedWithAllow) {
  const Response response = EchoRouter().Handle({"POST", "/api/echo", {}});
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1U);
  EXPECT_EQ(response.headers[0].first, "Allow");
}

Response Tagged(int status = 200) {
  Response response = TextResponse(status, "body");
  response.headers.emplace_back("ETag", "\"abc\"");
  return response;
}

TEST(ConditionalTest, AListedETagMakesA304WithoutBody) {
  for (const char* header : {"\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", " \"x\" ,\t\"abc\" ", "*"}) {
    const Response response = Conditional(Tagged(), header);
    EXPECT_EQ(response.status, 304) << header;
    EXPECT_EQ(response.body, "") << header;
    ASSERT_EQ(response.headers.size(), 2U) << header;
    EXPECT_EQ(response.headers[0].second, "\"abc\"") << header;
    EXPECT_EQ(response.headers[1], (std::pair<std::string, std::string>("Content-Length", "4")));
  }
}

TEST(ConditionalTest, AnythingElseIsAnsweredInFull) {
  EXPECT_EQ(Conditional(Tagged(), "").status, 200);
  EXPECT_EQ(Conditional(Tagged(), "\"abcd\"").status, 200);
  EXPECT_EQ(Conditional(Tagged(), "\"ab\", \"c\"").status, 200);
  EXPECT_EQ(Conditional(Tagged(404), "\"abc\"").status, 404);
  EXPECT_EQ(Conditional(TextResponse(200, "untagged"), "*").status, 200);
  EXPECT_EQ(Conditional(Tagged(), "\"x\"").body, "body");
}

}  // namespace
}  // namespace costwatch::web
