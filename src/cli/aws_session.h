// Everything an AWS API call needs from the user's environment, resolved once per command as
// the AWS CLI resolves it: shared config files, the active profile, credentials, retry
// settings, the CA bundle.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/retry.h"
#include "aws/shared_config.h"
#include "http/httplib_client.h"
#include "util/result.h"

namespace costwatch::cli {

struct AwsSession {
  std::unique_ptr<aws::Environment> env;
  aws::SharedConfig config;
  std::string profile_name;
  const aws::Profile* profile = nullptr;  // null when no file defines the active profile
  std::unique_ptr<aws::CredentialsProvider> credentials;
  aws::RetryOptions retry;
  std::optional<std::string> region;
  http::ClientOptions http;
};

// `explicit_profile` is --profile ("" when not given).
Result<AwsSession> OpenAwsSession(const std::string& explicit_profile);

}  // namespace costwatch::cli
