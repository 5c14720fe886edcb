// The HTTP surface of costwatch: the dashboard, /metrics and the health checks. Handlers are
// plain functions from a Request to a Response, independent of the server library, so each one
// is tested without a socket and the server (server.h) only moves bytes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace costwatch::web {

struct Request {
  std::string method;                        // GET or HEAD
  std::string path;                          // without the query: /api/daily
  std::map<std::string, std::string> query;  // decoded; the last value of a repeated key
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Cache-Control, ETag, ...
};

// Handlers run on the server's threads, several at once: they must be thread-safe and must
// not share the daemon's StateStore connection.
using Handler = std::function<Response(const Request&)>;

// Exact paths to handlers. GET routes also answer HEAD (the server drops the body).
class Router {
 public:
  void Get(std::string path, Handler handler);

  // The route's answer; 404 for an unknown path, 405 for a method other than GET or HEAD.
  [[nodiscard]] Response Handle(const Request& request) const;

  [[nodiscard]] bool Has(std::string_view path) const;

 private:
  std::map<std::string, Handler, std::less<>> routes_;
};

[[nodiscard]] Response TextResponse(int status, std::string body);

// A conditional GET (RFC 9110, 13.1.2): a 200 whose ETag the client's If-None-Match lists (or
// "*") becomes a 304 with its headers (and the 200's Content-Length) and no body; anything
// else is returned as it is.
[[nodiscard]] Response Conditional(Response response, std::string_view if_none_match);
[[nodiscard]] Response JsonResponse(std::string body);

}  // namespace costwatch::web
