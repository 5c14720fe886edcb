#include "web/router.h"

#include <algorithm>
#include <string>

namespace costwatch::web {

void Router::Get(std::string path, Handler handler) {
  routes_.insert_or_assign(std::move(path), std::move(handler));
}

Response Router::Handle(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = TextResponse(405, "method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  const auto route = routes_.find(request.path);
  if (route == routes_.end()) return TextResponse(404, "not found\n");
  return route->second(request);
}

bool Router::Has(std::string_view path) const {
  return routes_.find(path) != routes_.end();
}

namespace {

// Weak comparison: W/"x" and "x" name the same representation.
std::string_view Opaque(std::string_view tag) {
  while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
  while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

Response Conditional(Response response, std::string_view if_none_match) {
  if (response.status != 200 || if_none_match.empty()) return response;
  const auto etag = std::find_if(response.headers.begin(), response.headers.end(),
                                 [](const auto& header) { return header.first == "ETag"; });
  if (etag == response.headers.end()) return response;
  const std::string_view current = Opaque(etag->second);
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    const std::string_view listed = Opaque(if_none_match.substr(0, comma));
    if (listed == "*" || listed == current) {
      response.status = 304;
      // A 304 may only carry the length of the content a 200 would have (RFC 9110, 8.6); left
      // alone, a server writes 0 for the empty body.
      response.headers.emplace_back("Content-Length", std::to_string(response.body.size()));
      response.body.clear();
      return response;
    }
    if_none_match.remove_prefix(comma == std::string_view::npos ? if_none_match.size() : comma + 1);
  }
  return response;
}

Response TextResponse(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response JsonResponse(std::string body) {
  Response response;
  response.content_type = "application/json";
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace costwatch::web
