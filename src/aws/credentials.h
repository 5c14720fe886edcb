// AWS credentials and the provider interface of the credential chain.
//
// Every way of finding credentials (environment, shared files, credential_process, and later
// roles, web identity, containers, instance metadata, SSO) is a CredentialsProvider. The chain
// asks each in the SDKs' order and the first that has credentials answers.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;  // never logged, never part of an error message
  std::string session_token;      // empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string provider;  // which provider answered, e.g. "environment", "profile default"
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;

  // std::nullopt inside an ok Result: this provider has nothing to offer, ask the next one.
  // An Error: this provider was configured but failed; the chain stops and reports it, as the
  // SDKs do, instead of silently using other credentials.
  virtual Result<std::optional<Credentials>> resolve() = 0;
  [[nodiscard]] virtual std::string name() const = 0;
};

}  // namespace costwatch::aws
