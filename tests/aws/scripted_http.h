// An http::Client that plays back scripted replies and records what was sent, shared by the
// credential provider tests. The real transport is covered by tests/integration.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "aws/network.h"
#include "http/http.h"

namespace costwatch::aws::testing {

class ScriptedHttp final : public http::Client {
 public:
  void reply(long status, std::string body, std::vector<http::Header> headers = {}) {
    script_.emplace_back(http::Response{status, std::move(headers), std::move(body)});
  }
  void fail(std::string message) { script_.emplace_back(Fail(std::move(message))); }

  Result<http::Response> send(const http::Request& request) override {
    sent.push_back(request);
    if (script_.empty()) return Fail("script exhausted");
    auto next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<http::Request> sent;

 private:
  std::deque<Result<http::Response>> script_;
};

// Hands out a client that forwards to one ScriptedHttp, recording the timeouts asked for.
class ScriptedNetwork {
 public:
  NetworkContext context() {
    NetworkContext network;
    network.http = [this](std::chrono::milliseconds timeout) -> std::unique_ptr<http::Client> {
      timeouts.push_back(timeout);
      return std::make_unique<Forward>(http);
    };
    network.clock = [this] { return now; };
    network.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    return network;
  }

  ScriptedHttp http;
  std::vector<std::chrono::milliseconds> timeouts;
  std::vector<std::chrono::milliseconds> sleeps;
  std::chrono::system_clock::time_point now =
      std::chrono::sys_days{std::chrono::year{2015} / 8 / 30} + std::chrono::hours{12} +
      std::chrono::minutes{36};

 private:
  class Forward final : public http::Client {
   public:
    explicit Forward(ScriptedHttp& target) : target_(target) {}
    Result<http::Response> send(const http::Request& request) override {
      return target_.send(request);
    }

   private:
    ScriptedHttp& target_;
  };
};

}  // namespace costwatch::aws::testing
