// http::Client on libcurl. One instance keeps one connection pool, so consecutive requests to
// the same endpoint (pages of one query, retries) reuse the TLS connection. Not thread-safe:
// give each thread its own client.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "http/http.h"

namespace costwatch::http {

struct CurlOptions {
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
  // Proxies come from the environment as libcurl reads them (https_proxy, HTTPS_PROXY,
  // http_proxy, no_proxy/NO_PROXY); uppercase HTTP_PROXY is ignored by design (httpoxy).
};

class CurlClient final : public Client {
 public:
  explicit CurlClient(CurlOptions options = {});
  ~CurlClient() override;
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  Result<Response> send(const Request& request) override;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  CurlOptions options_;
};

}  // namespace costwatch::http
