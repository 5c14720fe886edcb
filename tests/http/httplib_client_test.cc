// HttplibClient against a real server on an ephemeral port of 127.0.0.1 (cpp-httplib's own
// server, so the test shares no code path with the client under test other than the library).
#include "http/httplib_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace costwatch::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class TestServer {
 public:
  TestServer() {
    server_.Get("/echo", [this](const httplib::Request& request, httplib::Response& response) {
      Record(request);
      response.set_content("ok", "text/plain");
    });
    server_.Post("/echo", [this](const httplib::Request& request, httplib::Response& response) {
      Record(request);
      response.set_content(request.body, "text/plain");
    });
    server_.Get("/large", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(20000, 'x'), "application/json");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      response.set_content("late", "text/plain");
    });
    // 20 bytes, one every 100 ms: each read is quick, the whole body is not.
    server_.Get("/trickle", [](const httplib::Request&, httplib::Response& response) {
      response.set_content_provider(20, "text/plain",
                                    [](size_t offset, size_t, httplib::DataSink& sink) {
                                      std::this_thread::sleep_for(std::chrono::milliseconds(100));
                                      return sink.write(offset % 2 == 0 ? "a" : "b", 1);
                                    });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs; the destructor's would then never return.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  [[nodiscard]] int port() const { return port_; }
  std::vector<httplib::Request> requests() {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Record(const httplib::Request& request) {
    const std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<httplib::Request> requests_;
};

Request Get(const std::string& url) {
  Request request;
  request.url = url;
  return request;
}

TEST(HttplibClientTest, SendsTheHeadersAsGivenAndTheHostASignerComputes) {
  TestServer server;
  HttplibClient client;
  Request request = Get(server.url("/echo?b=2&a=1"));
  request.headers = {{"host", "signed.example"}, {"X-Amz-Date", "20261130T000000Z"}};
  auto response = client.send(request);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "ok");

  request = Get(server.url("/echo"));
  ASSERT_TRUE(client.send(request).ok());

  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].get_header_value_count("Host"), 1U);
  EXPECT_EQ(seen[0].get_header_value("Host"), "signed.example");
  EXPECT_EQ(seen[0].get_header_value("X-Amz-Date"), "20261130T000000Z");
  EXPECT_EQ(seen[0].target, "/echo?b=2&a=1");
  EXPECT_EQ(seen[0].get_header_value("User-Agent"), "costwatch");
  EXPECT_FALSE(seen[0].has_header("Expect"));
  // Without a Host header of its own, the request gets the URL's authority.
  EXPECT_EQ(seen[1].get_header_value("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(HttplibClientTest, PostsTheBodyAndKeepsTheConnection) {
  TestServer server;
  HttplibClient client;
  for (const std::string body : {"first", "second"}) {
    Request request = Get(server.url("/echo"));
    request.method = "POST";
    request.body = body;
    request.headers = {{"Content-Type", "application/json"}};
    auto response = client.send(request);
    ASSERT_TRUE(response.ok()) << response.error().message;
    EXPECT_EQ(response->body, body);
  }
  const auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0].get_header_value("Content-Type"), "application/json");
  // The same client port: the second request went over the first one's connection.
  EXPECT_EQ(seen[0].remote_port, seen[1].remote_port);
}

TEST(HttplibClientTest, AcceptsAndDecodesACompressedAnswer) {
  TestServer server;
  HttplibClient client;
  auto response = client.send(Get(server.url("/large")));
  ASSERT_TRUE(response.ok()) << response.error().message;
  // The server picks from what the client offers: brotli first, as cpp-httplib prefers it.
  EXPECT_THAT(response->header("Content-Encoding").value_or(""), ::testing::AnyOf("br", "gzip"));
  EXPECT_EQ(response->body, std::string(20000, 'x'));

  Request gzip_only = Get(server.url("/large"));
  gzip_only.headers = {{"Accept-Encoding", "gzip"}};
  response = client.send(gzip_only);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(response->body, std::string(20000, 'x'));
}

TEST(HttplibClientTest, HeadHasNoBody) {
  TestServer server;
  HttplibClient client;
  Request request = Get(server.url("/large"));
  request.method = "HEAD";
  auto response = client.send(request);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "");
}

TEST(HttplibClientTest, AStalledServerTimesOut) {
  TestServer server;
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  HttplibClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(Get(server.url("/slow")));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.error().message, StartsWith("timed out: "));
  EXPECT_THAT(response.error().message, HasSubstr("127.0.0.1:" + std::to_string(server.port())));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1200));
}

TEST(HttplibClientTest, ABodyThatTricklesInIsCutAtTheRequestTimeout) {
  TestServer server;
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(600);
  HttplibClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(Get(server.url("/trickle")));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.error().message, StartsWith("timed out: "));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
}

TEST(HttplibClientTest, ARefusedConnectionNamesHostAndPort) {
  int port = 0;
  {
    TestServer closed;
    port = closed.port();
  }
  HttplibClient client;
  auto response = client.send(Get("http://127.0.0.1:" + std::to_string(port) + "/"));
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.error().message,
              HasSubstr("cannot connect to 127.0.0.1:" + std::to_string(port)));
  EXPECT_EQ(response.error().message.find('\n'), std::string::npos);
}

TEST(HttplibClientTest, OnlyHttpAndHttpsUrls) {
  HttplibClient client;
  auto response = client.send(Get("ftp://127.0.0.1/file"));
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.error().message, HasSubstr("expected http:// or https://"));
}

}  // namespace
}  // namespace costwatch::http
