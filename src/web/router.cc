#include "web/router.h"

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
