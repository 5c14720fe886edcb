#include "web/server.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/socket.h>

#include <array>
#include <atomic>
#include <cstring>
#include <thread>

#include "util/memory.h"

namespace costwatch::web {
namespace {

using Digest = std::array<unsigned char, EVP_MAX_MD_SIZE>;

// SHA-256 first, so the comparison below does not even reveal the token's length.
Digest Sha256(const std::string& text) {
  Digest digest{};
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

Result<void> Resolves(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (status != 0) return Fail(std::string("the host does not resolve: ") + ::gai_strerror(status));
  ::freeaddrinfo(found);
  return {};
}

Request ToRequest(const httplib::Request& in) {
  Request request;
  request.method = in.method;
  request.path = in.path;
  for (const auto& [key, value] : in.params) request.query[key] = value;
  return request;
}

void AddSecurityHeaders(httplib::Response& out) {
  out.set_header("X-Content-Type-Options", "nosniff");
  out.set_header("Content-Security-Policy", kContentSecurityPolicy);
  out.set_header("Referrer-Policy", "no-referrer");
  out.set_header("X-Frame-Options", "DENY");
}

void Write(const Response& response, httplib::Response& out) {
  out.status = response.status;
  for (const auto& [name, value] : response.headers) out.set_header(name, value);
  if (response.status == 304) return;  // no content, so no Content-Type either
  // httplib sends Content-Length for HEAD as for GET and leaves the body out.
  out.set_content(response.body, response.content_type);
}

class HttplibServer final : public HttpServer {
 public:
  HttplibServer(const ServerOptions& options, Router router)
      : router_(std::move(router)), token_(options.bearer_token) {
    const int threads = std::max(1, options.threads);
    server_.new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));  // httplib owns it
    };
    server_.set_read_timeout(options.read_timeout);
    server_.set_write_timeout(options.write_timeout);
    server_.set_keep_alive_timeout(options.keep_alive_timeout.count());
    // httplib's default adds SO_REUSEPORT, which would let a second costwatch bind the same
    // port and steal half the connections; SO_REUSEADDR alone only lets a restart bind while
    // old connections linger in TIME_WAIT.
    server_.set_socket_options([](socket_t socket) {
      const int yes = 1;
      ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // Answers go out in more than one write: without TCP_NODELAY each would wait for the
    // client's delayed ACK.
    server_.set_tcp_nodelay(true);
    server_.set_payload_max_length(size_t{64} * 1024);  // GET only: nothing big ever comes in
    // A handler's garbage (a scrape reads a month of rows) stays in the worker thread's malloc
    // arena: give it back once the answer is written, so that a daemon scraped every minute
    // stays as small as an idle one.
    server_.set_logger(
        [](const httplib::Request&, const httplib::Response&) { util::ReleaseFreeMemory(); });
    server_.set_pre_routing_handler([this](const httplib::Request& in, httplib::Response& out) {
      Serve(in, out);
      return httplib::Server::HandlerResponse::Handled;
    });
  }

  ~HttplibServer() override { Stop(); }
  HttplibServer(const HttplibServer&) = delete;
  HttplibServer& operator=(const HttplibServer&) = delete;

  Result<void> Bind(const ListenAddress& listen) {
    const std::string where = FormatListenAddress(listen);
    // httplib does not tell a name that does not resolve from a bind that fails.
    if (auto resolved = Resolves(listen.host); !resolved) {
      return Fail("cannot listen on " + where + ": " + resolved.error().message);
    }
    errno = 0;
    port_ = listen.port == 0 ? server_.bind_to_any_port(listen.host)
                             : (server_.bind_to_port(listen.host, listen.port) ? listen.port : -1);
    if (port_ < 0) {
      const int error = errno;  // NOLINT(cppcoreguidelines-init-variables)
      return Fail("cannot listen on " + where + ": " +
                  (error == EADDRINUSE ? std::string("address already in use (another costwatch "
                                                     "or another program has the port)")
                                       : std::string(std::strerror(error))));
    }
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      finished_ = true;
    });
    // httplib's stop() does nothing until the loop runs: wait for it, so that an early Stop()
    // cannot leave the thread listening.
    while (!server_.is_running() && !finished_)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
  }

  [[nodiscard]] int port() const override { return port_; }

  void Stop() override {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }

 private:
  void Serve(const httplib::Request& in, httplib::Response& out) const {
    AddSecurityHeaders(out);
    if (!token_.empty()) {
      const std::string authorization = in.get_header_value("Authorization");
      if (!BearerTokenMatches(in.has_header("Authorization") ? &authorization : nullptr, token_)) {
        out.set_header("WWW-Authenticate", "Bearer realm=\"costwatch\"");
        Write(TextResponse(401, "a bearer token is required (Authorization: Bearer ...)\n"), out);
        return;
      }
    }
    Write(Conditional(router_.Handle(ToRequest(in)), in.get_header_value("If-None-Match")), out);
  }

  Router router_;
  std::string token_;
  httplib::Server server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  int port_ = 0;
};

}  // namespace

bool BearerTokenMatches(const std::string* authorization, const std::string& token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization == nullptr || authorization->size() < kScheme.size()) return false;
  // The scheme is case-insensitive (RFC 7235); the token is compared exactly.
  if (strncasecmp(authorization->c_str(), kScheme.data(), kScheme.size()) != 0) return false;
  const Digest given = Sha256(authorization->substr(kScheme.size()));
  const Digest expected = Sha256(token);
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

Result<std::unique_ptr<HttpServer>> StartServer(const ServerOptions& options, Router router) {
  auto server = std::make_unique<HttplibServer>(options, std::move(router));
  if (auto bound = server->Bind(options.listen); !bound) return bound.error();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace costwatch::web
