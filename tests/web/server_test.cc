// The server on a real socket (an ephemeral port on 127.0.0.1), spoken to by costwatch's own
// HTTP client and, where the client would hide what is on the wire (HEAD), by a raw socket.
#include "web/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "http/httplib_client.h"

namespace costwatch::web {
namespace {

Router TestRouter(std::atomic<int>* calls = nullptr) {
  Router router;
  router.Get("/hello", [calls](const Request& request) {
    if (calls != nullptr) ++*calls;
    const auto name = request.query.find("name");
    return TextResponse(200, "hello " + (name == request.query.end() ? "" : name->second));
  });
  router.Get("/page", [](const Request&) {
    Response response = TextResponse(200, "the page");
    response.headers.emplace_back("ETag", "\"v1\"");
    response.headers.emplace_back("Cache-Control", "no-cache");
    return response;
  });
  return router;
}

std::unique_ptr<HttpServer> Start(const std::string& token = "", Router router = TestRouter()) {
  ServerOptions options;
  options.listen = {"127.0.0.1", 0};
  options.bearer_token = token;
  auto server = StartServer(options, std::move(router));
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
  return std::move(*server);
}

http::Response Get(const HttpServer& server, const std::string& path,
                   const std::vector<http::Header>& headers = {}) {
  http::HttplibClient client;
  http::Request request;
  request.url = "http://127.0.0.1:" + std::to_string(server.port()) + path;
  request.headers = headers;
  auto response = client.send(request);
  EXPECT_TRUE(response.ok()) << (response.ok() ? "" : response.error().message);
  return response.ok() ? *response : http::Response{};
}

// Everything the server sends for `request` until it closes the connection.
std::string RawExchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string reply;
  char buffer[4096];
  for (ssize_t n = 0; (n = ::read(fd, buffer, sizeof buffer)) > 0;) reply.append(buffer, n);
  ::close(fd);
  return reply;
}

TEST(ServerTest, ServesTheRouterWithItsQuery) {
  auto server = Start();
  ASSERT_GT(server->port(), 0);
  const auto response = Get(*server, "/hello?name=a%20b");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello a b");
  EXPECT_EQ(response.header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Get(*server, "/nothing").status, 404);
}

TEST(ServerTest, EveryAnswerCarriesTheSecurityHeaders) {
  auto server = Start();
  for (const char* path : {"/hello", "/nothing"}) {
    const auto response = Get(*server, path);
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(response.header("Content-Security-Policy"), kContentSecurityPolicy) << path;
    EXPECT_EQ(response.header("Referrer-Policy"), "no-referrer") << path;
  }
}

TEST(ServerTest, HeadAnswersWithTheLengthButWithoutTheBody) {
  auto server = Start();
  const std::string reply =
      RawExchange(server->port(),
                  "HEAD /hello?name=x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("Content-Length: 7\r\n"), std::string::npos) << reply;
  EXPECT_TRUE(reply.ends_with("\r\n\r\n")) << reply;  // nothing after the headers
}

TEST(ServerTest, AKnownETagIsAnsweredWithNotModifiedAndNoBody) {
  auto server = Start();
  const std::string reply = RawExchange(server->port(),
                                        "GET /page HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: "
                                        "\"v0\", W/\"v1\"\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 304")) << reply;
  EXPECT_NE(reply.find("ETag: \"v1\"\r\n"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Cache-Control: no-cache\r\n"), std::string::npos) << reply;
  EXPECT_EQ(reply.find("\r\nContent-Type:"), std::string::npos) << reply;
  EXPECT_NE(reply.find("\r\nContent-Length: 8\r\n"), std::string::npos) << reply;  // the 200's
  EXPECT_TRUE(reply.ends_with("\r\n\r\n")) << reply;  // nothing after the headers

  const auto changed = Get(*server, "/page", {{"If-None-Match", "\"v0\""}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "the page");
}

TEST(ServerTest, OtherMethodsAreRefused) {
  auto server = Start();
  const std::string reply = RawExchange(
      server->port(),
      "POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 405")) << reply;
}

TEST(ServerTest, ABearerTokenIsRequiredWhenConfigured) {
  std::atomic<int> calls{0};
  auto server = Start("s3cret-token", TestRouter(&calls));
  const auto missing = Get(*server, "/hello");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.header("WWW-Authenticate"), "Bearer realm=\"costwatch\"");
  EXPECT_EQ(missing.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(Get(*server, "/hello", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(Get(*server, "/hello", {{"Authorization", "Basic s3cret-token"}}).status, 401);
  EXPECT_EQ(Get(*server, "/hello", {{"Authorization", "Bearer s3cret-token!"}}).status, 401);
  EXPECT_EQ(calls.load(), 0);  // refused before the router
  const auto allowed = Get(*server, "/hello", {{"Authorization", "Bearer s3cret-token"}});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(Get(*server, "/hello", {{"Authorization", "bearer s3cret-token"}}).status, 200);
  EXPECT_EQ(calls.load(), 2);
}

TEST(ServerTest, BearerTokenMatchesOnlyTheExactToken) {
  const std::string right = "Bearer abc";
  const std::string shorter = "Bearer ab";
  const std::string empty = "Bearer ";
  EXPECT_TRUE(BearerTokenMatches(&right, "abc"));
  EXPECT_FALSE(BearerTokenMatches(&shorter, "abc"));
  EXPECT_FALSE(BearerTokenMatches(&empty, "abc"));
  EXPECT_FALSE(BearerTokenMatches(nullptr, "abc"));
}

TEST(ServerTest, APortInUseIsAnErrorNamingTheAddress) {
  auto first = Start();
  ServerOptions options;
  options.listen = {"127.0.0.1", first->port()};
  auto second = StartServer(options, TestRouter());
  ASSERT_FALSE(second.ok());
  const std::string where = "127.0.0.1:" + std::to_string(first->port());
  EXPECT_NE(second.error().message.find("cannot listen on " + where), std::string::npos)
      << second.error().message;
  EXPECT_NE(second.error().message.find("already in use"), std::string::npos)
      << second.error().message;
}

TEST(ServerTest, AnAddressThatCannotBeBoundIsNamed) {
  ServerOptions options;
  options.listen = {"192.0.2.1", 0};  // TEST-NET-1: never an address of this machine
  auto server = StartServer(options, TestRouter());
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().message.find("cannot listen on 192.0.2.1:0: "), std::string::npos)
      << server.error().message;
  options.listen = {"no-such-host.invalid", 8377};
  server = StartServer(options, TestRouter());
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.error().message.find(
                "cannot listen on no-such-host.invalid:8377: the host does not resolve: "),
            std::string::npos)
      << server.error().message;
}

TEST(ServerTest, StopClosesThePortAndIsIdempotent) {
  auto server = Start();
  const int port = server->port();
  server->Stop();
  server->Stop();
  http::HttplibClient client;
  http::Request request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/hello";
  EXPECT_FALSE(client.send(request).ok());
}

}  // namespace
}  // namespace costwatch::web
