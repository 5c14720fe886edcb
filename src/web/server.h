// Serves a Router over HTTP/1.1 on a background thread, with cpp-httplib (Debian's
// libcpp-httplib). The server only moves bytes: it checks the bearer token, adds the security
// headers, answers HEAD without a body and hands everything else to the router.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "util/listen_address.h"
#include "util/result.h"
#include "web/router.h"

namespace costwatch::web {

struct ServerOptions {
  ListenAddress listen;      // default 127.0.0.1:8377; port 0 picks a free port
  std::string bearer_token;  // empty: no authentication
  // Worker threads. A few are enough for a dashboard and a scraper, and each idle one costs
  // memory in a daemon that should stay small.
  int threads = 3;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  // How long an idle keep-alive connection may hold a worker.
  std::chrono::seconds keep_alive_timeout{2};
};

// The headers every answer carries: the dashboard is same-origin only and never framed.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // The port actually bound (useful with port 0).
  [[nodiscard]] virtual int port() const = 0;
  // Stops accepting, finishes the requests in progress and joins the threads. Idempotent; the
  // destructor calls it.
  virtual void Stop() = 0;
};

// Binds the address and serves `router` until Stop(). A port in use or an address that cannot
// be bound is an error naming the address.
Result<std::unique_ptr<HttpServer>> StartServer(const ServerOptions& options, Router router);

// Whether `authorization` (the header's value, possibly absent) carries `token` as a bearer
// token. The comparison takes the same time wherever the values differ.
bool BearerTokenMatches(const std::string* authorization, const std::string& token);

}  // namespace costwatch::web
