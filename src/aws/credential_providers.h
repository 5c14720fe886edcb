// The credential providers that need no network: environment variables, static keys in the
// shared files, and credential_process. Their behaviour follows botocore's EnvProvider,
// SharedCredentialProvider/ConfigProvider and ProcessProvider.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/environment.h"
#include "aws/shared_config.h"

namespace costwatch::aws {

// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, with AWS_SECURITY_TOKEN or else AWS_SESSION_TOKEN
// (botocore's order) and AWS_CREDENTIAL_EXPIRATION. Nothing to offer without AWS_ACCESS_KEY_ID;
// an Error when it is set without the secret. The variables are read when constructed.
class EnvironmentCredentialsProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentCredentialsProvider(const Environment& env);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override { return "environment"; }

 private:
  std::optional<std::string> access_key_id_;
  std::optional<std::string> secret_access_key_;
  std::optional<std::string> session_token_;
  std::optional<std::string> expiration_;
};

// aws_access_key_id / aws_secret_access_key (+ aws_security_token or aws_session_token) of one
// profile in one of the two files. botocore asks the credentials file before credential_process
// and the config file after it, so each file is its own provider.
class ProfileCredentialsProvider final : public CredentialsProvider {
 public:
  enum class File { kCredentials, kConfig };
  ProfileCredentialsProvider(const SharedConfig& config, std::string profile_name, File file);
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override;

 private:
  std::string profile_name_;
  std::string file_display_;
  std::optional<Profile> profile_;
};

struct ProcessCredentialsOptions {
  // botocore waits forever; a daemon must not. The Go SDK's default is one minute too.
  std::chrono::milliseconds timeout = std::chrono::minutes(1);
  size_t max_output = 1 << 20;
};

// credential_process of a profile (either file): the command is split into words like a shell
// line and run without a shell; its stdout is the JSON document of the "Version": 1 protocol.
class ProcessCredentialsProvider final : public CredentialsProvider {
 public:
  ProcessCredentialsProvider(const SharedConfig& config, std::string profile_name,
                             ProcessCredentialsOptions options = {});
  Result<std::optional<Credentials>> resolve() override;
  [[nodiscard]] std::string name() const override;

 private:
  std::string profile_name_;
  std::optional<std::string> command_;
  ProcessCredentialsOptions options_;
};

// Parses credential_process output: {"Version": 1, "AccessKeyId", "SecretAccessKey",
// "SessionToken"?, "Expiration"? (RFC 3339)}. Errors never quote the document.
Result<Credentials> ParseCredentialProcessOutput(std::string_view json);

}  // namespace costwatch::aws
