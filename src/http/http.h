// The HTTP request and response every client of an HTTP API works with, and the one interface
// through which they are sent. The real implementation is HttplibClient; tests use a local
// server or a scripted client.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::http {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path[?query]
  std::vector<Header> headers;
  std::string body;

  // The first header with this name, compared case-insensitively.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
  void set_header(std::string name, std::string value);
};

struct Response {
  long status = 0;
  std::vector<Header> headers;
  std::string body;

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

class Client {
 public:
  virtual ~Client() = default;
  // Sends one request. An Error means no complete response arrived (DNS, connect, TLS, timeout,
  // a reply cut short), which is worth retrying; any HTTP status, 5xx included, is a Response.
  virtual Result<Response> send(const Request& request) = 0;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace costwatch::http
