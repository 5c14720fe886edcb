#include "aws/network.h"

#include "http/httplib_client.h"

namespace costwatch::aws {

HttpClientFactory HttplibClientFactory(std::string ca_bundle) {
  return [ca_bundle = std::move(ca_bundle)](std::chrono::milliseconds timeout) {
    http::ClientOptions options;
    options.connect_timeout = timeout;
    options.request_timeout = timeout;
    options.ca_bundle = ca_bundle;
    return std::unique_ptr<http::Client>(std::make_unique<http::HttplibClient>(options));
  };
}

}  // namespace costwatch::aws
