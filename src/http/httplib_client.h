// http::Client on Debian's cpp-httplib. One keep-alive connection per origin (scheme, host,
// port), so consecutive requests to the same endpoint (pages of one query, retries) reuse the
// TLS connection. Not thread-safe: give each thread its own client.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http/http.h"

namespace costwatch::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  // The whole exchange, reading the body included. Cost Explorer answers in a few seconds; a
  // stalled connection must not hang a daemon for ever.
  std::chrono::milliseconds request_timeout{60000};
  std::string ca_bundle;  // AWS_CA_BUNDLE / ca_bundle; empty: the system's trust store
  std::string user_agent = "costwatch";
  // Mutual TLS: a client certificate (PEM) and its key (PEM; empty: the key is in client_cert).
  std::string client_cert;
  std::string client_key;
  // Off only when a sink's config says so explicitly (test receivers with self-signed
  // certificates); never the default.
  bool verify_tls = true;
  // Proxies come from the environment as libcurl reads them (see http/proxy.h).
};

class HttplibClient final : public Client {
 public:
  explicit HttplibClient(ClientOptions options = {});
  ~HttplibClient() override;
  HttplibClient(const HttplibClient&) = delete;
  HttplibClient& operator=(const HttplibClient&) = delete;

  Result<Response> send(const Request& request) override;

 private:
  struct Origins;
  std::unique_ptr<Origins> origins_;
  ClientOptions options_;
};

}  // namespace costwatch::http
