#include "http/httplib_client.h"

#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <fstream>
#include <map>

#include "http/proxy.h"
#include "http/url.h"

namespace costwatch::http {
namespace {

using Clock = std::chrono::steady_clock;

// Every encoding cpp-httplib decodes, as libcurl's ACCEPT_ENCODING "" offered all of its own.
constexpr const char* kAcceptEncoding = "gzip, deflate, br";

std::string HostPort(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool Readable(const std::string& path) {
  return std::ifstream(path).good();
}

// The first error OpenSSL queued on this thread during the exchange, as one short phrase
// ("tlsv13 alert certificate required"), or "" when it queued none.
std::string TakeOpenSslReason() {
  const unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0) return {};
  const char* reason = ERR_reason_error_string(first);
  return reason != nullptr ? reason : "";
}

bool Resolves(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (found != nullptr) ::freeaddrinfo(found);
  return rc == 0;
}

struct Origin {
  std::unique_ptr<httplib::ClientImpl> client;
  httplib::SSLClient* tls = nullptr;  // the same object when the origin is https
  std::string where;                  // "host:port", for messages
  std::string proxy;                  // "host:port" of the proxy, or ""
  std::string proxy_host;
};

Result<void> CheckClientCertificate(const ClientOptions& options) {
  if (options.client_cert.empty()) return {};
  if (!Readable(options.client_cert))
    return Fail("cannot read client certificate file: '" + options.client_cert + "'");
  if (!options.client_key.empty() && !Readable(options.client_key))
    return Fail("cannot read private key file: '" + options.client_key + "'");
  return {};
}

}  // namespace

struct HttplibClient::Origins {
  std::map<std::string, Origin> by_key;
};

namespace {

Result<Origin> OpenOrigin(const Url& url, const ClientOptions& options) {
  Origin origin;
  origin.where = HostPort(url.host, url.port);
  if (url.scheme == "https") {
    if (auto checked = CheckClientCertificate(options); !checked.ok()) return checked.error();
    const std::string& key = options.client_key.empty() ? options.client_cert : options.client_key;
    auto tls = std::make_unique<httplib::SSLClient>(url.host, url.port, options.client_cert, key);
    if (!tls->is_valid()) {
      ERR_clear_error();
      return Fail("cannot use client certificate file: '" + options.client_cert +
                  "' with private key file: '" + key + "' (not PEM, or the key does not match)");
    }
    if (!options.ca_bundle.empty()) tls->set_ca_cert_path(options.ca_bundle);
    tls->enable_server_certificate_verification(options.verify_tls);
    origin.tls = tls.get();
    origin.client = std::move(tls);
  } else {
    origin.client = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  httplib::ClientImpl& client = *origin.client;
  client.set_keep_alive(true);
  // cpp-httplib writes the headers and the body apart; with Nagle's algorithm on, the body waits
  // for the server's delayed ACK, 40 ms a request (bench/deliver_bench.md). libcurl set it too.
  client.set_tcp_nodelay(true);
  client.set_url_encode(false);  // the path is sent exactly as given (and as signed)
  client.set_decompress(true);
  client.set_connection_timeout(std::min(options.connect_timeout, options.request_timeout));
  client.set_read_timeout(options.request_timeout);
  client.set_write_timeout(options.request_timeout);

  const std::string proxy_url = ProxyUrlFor(ReadProcessProxyEnvironment(), url.scheme, url.host);
  if (!proxy_url.empty()) {
    auto proxy = ParseProxyUrl(proxy_url);
    if (!proxy.ok()) return proxy.error();
    client.set_proxy(proxy->host, proxy->port);
    if (!proxy->username.empty()) client.set_proxy_basic_auth(proxy->username, proxy->password);
    origin.proxy = HostPort(proxy->host, proxy->port);
    origin.proxy_host = proxy->host;
  }
  return origin;
}

httplib::Request ToHttplib(const Request& request, const Url& url, const ClientOptions& options) {
  httplib::Request out;
  out.method = request.method;
  out.path = url.path + (url.query.empty() ? "" : "?" + url.query);
  for (const auto& h : request.headers) out.headers.emplace(h.name, h.value);
  // Set here rather than left to cpp-httplib, which would add the default port: the value must
  // be what a signer computed from the URL.
  if (!request.header("Host")) out.headers.emplace("Host", url.authority());
  if (!request.header("User-Agent")) out.headers.emplace("User-Agent", options.user_agent);
  if (!request.header("Accept-Encoding")) out.headers.emplace("Accept-Encoding", kAcceptEncoding);
  out.body = request.body;
  return out;
}

std::string Describe(httplib::Error error, const Origin& origin, const ClientOptions& options,
                     bool timed_out) {
  const std::string& where = origin.where;
  const std::string via = origin.proxy.empty() ? "" : " through proxy " + origin.proxy;
  std::string reason = TakeOpenSslReason();
  const std::string because = reason.empty() ? "" : ": " + reason;
  if (error == httplib::Error::ConnectionTimeout) {
    return "timed out: cannot connect to " + where + via + " within " +
           std::to_string(std::min(options.connect_timeout, options.request_timeout).count()) +
           " ms";
  }
  if (timed_out) {
    return "timed out: no complete reply from " + where + via + " within " +
           std::to_string(options.request_timeout.count()) + " ms";
  }
  switch (error) {
    case httplib::Error::Connection: {
      const std::string& name = origin.proxy.empty() ? where : origin.proxy;
      const std::string& host =
          origin.proxy.empty() ? where.substr(0, where.rfind(':')) : origin.proxy_host;
      if (!host.starts_with('[') && !Resolves(host)) return "cannot resolve host name of " + name;
      return "cannot connect to " + where + via + " (connection refused or unreachable)";
    }
    case httplib::Error::SSLConnection:
      return "TLS handshake with " + where + via + " failed" + because;
    case httplib::Error::SSLLoadingCerts:
      return "cannot load CA bundle '" + options.ca_bundle + "' to verify " + where + because;
    case httplib::Error::SSLServerVerification: {
      const long verify =
          origin.tls != nullptr ? origin.tls->get_openssl_verify_result() : X509_V_OK;
      if (verify != X509_V_OK) {
        return "TLS certificate of " + where +
               " not trusted: " + X509_verify_cert_error_string(verify);
      }
      return "TLS certificate of " + where + " does not match the host name";
    }
    case httplib::Error::Write:
      return "cannot send the request to " + where + via + because;
    case httplib::Error::Compression:
      return "cannot decode the compressed reply from " + where;
    case httplib::Error::Read:
    default:
      return "reply from " + where + via + " cut short" + because;
  }
}

}  // namespace

HttplibClient::HttplibClient(ClientOptions options)
    : origins_(std::make_unique<Origins>()), options_(std::move(options)) {}

HttplibClient::~HttplibClient() = default;

Result<Response> HttplibClient::send(const Request& request) {
  auto url = ParseUrl(request.url);
  if (!url.ok()) return url.error();
  const std::string key = url->scheme + "://" + HostPort(url->host, url->port);
  auto found = origins_->by_key.find(key);
  if (found == origins_->by_key.end()) {
    auto opened = OpenOrigin(*url, options_);
    if (!opened.ok()) return opened.error();
    found = origins_->by_key.emplace(key, std::move(*opened)).first;
  }
  Origin& origin = found->second;

  const auto start = Clock::now();
  const auto deadline = start + options_.request_timeout;
  httplib::Request out = ToHttplib(request, *url, options_);
  // The read timeout bounds each wait; this bounds a body that trickles in.
  out.progress = [deadline](uint64_t, uint64_t) { return Clock::now() < deadline; };

  ERR_clear_error();
  // A kept-alive connection the server closed meanwhile fails at once; libcurl retried such a
  // request once on a new connection, and so does this.
  const bool reused = origin.client->is_socket_open() != 0;
  httplib::Result result = origin.client->send(out);
  if (!result && reused &&
      (result.error() == httplib::Error::Read || result.error() == httplib::Error::Write) &&
      Clock::now() - start < std::chrono::milliseconds(500)) {
    ERR_clear_error();
    result = origin.client->send(out);
  }
  if (!result) {
    const auto elapsed = Clock::now() - start;
    const httplib::Error error = result.error();
    const bool timed_out = error == httplib::Error::Canceled ||
                           ((error == httplib::Error::Read || error == httplib::Error::Write) &&
                            elapsed + std::chrono::milliseconds(50) >= options_.request_timeout);
    return Fail(Describe(error, origin, options_, timed_out));
  }
  Response response;
  response.status = result->status;
  for (const auto& [name, value] : result->headers) response.headers.push_back({name, value});
  response.body = std::move(result->body);
  return response;
}

}  // namespace costwatch::http
