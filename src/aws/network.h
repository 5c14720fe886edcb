// What the credential providers that talk to a server need: a way to make HTTP clients with the
// timeouts each source wants, a clock, sleeping and jitter for retries. Injected so tests point
// every provider at local servers (or scripted clients) and never wait for real.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "aws/retry.h"
#include "http/http.h"

namespace costwatch::aws {

// One client per provider: http::HttplibClient is not thread-safe, and each provider is only used
// under the lock of the CachingCredentialsProvider in front of the chain.
using HttpClientFactory = std::function<std::unique_ptr<http::Client>(std::chrono::milliseconds)>;

struct NetworkContext {
  // Makes a client whose connect and request timeouts are the given duration. Empty: providers
  // that need the network are left out of the chain (or fail when configured explicitly).
  HttpClientFactory http;
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: do not wait
  std::function<double()> random01 = [] { return 0.5; };
  RetryOptions retry;
};

// The factory the CLI uses: http::HttplibClient, with ca_bundle and proxies as configured.
HttpClientFactory HttplibClientFactory(std::string ca_bundle);

}  // namespace costwatch::aws
