#include <simdjson.h>

#include <cmath>

#include "aws/credential_providers.h"
#include "aws/redact.h"
#include "aws/shell_words.h"
#include "aws/subprocess.h"
#include "aws/timestamp.h"

namespace costwatch::aws {
namespace {

// A member that must be a non-empty string, if present at all.
Result<std::optional<std::string>> StringMember(const simdjson::dom::object& object,
                                                std::string_view key) {
  simdjson::dom::element element;
  if (object[key].get(element) != simdjson::SUCCESS || element.is_null()) {
    return std::optional<std::string>();
  }
  std::string_view value;
  if (element.get(value) != simdjson::SUCCESS) return Fail(std::string(key) + " is not a string");
  return std::optional<std::string>(value);
}

Result<void> CheckVersion(const simdjson::dom::object& object) {
  simdjson::dom::element version;
  if (object["Version"].get(version) != simdjson::SUCCESS) {
    return Fail("the output has no \"Version\"; only Version 1 is supported");
  }
  // Python compares with == 1, so 1.0 is accepted too.
  double number = 0;
  if (version.is_number() && version.get(number) == simdjson::SUCCESS && number == 1.0) return {};
  if (version.is_number() && std::isfinite(number) && number == std::trunc(number)) {
    return Fail("the output has Version " + std::to_string(static_cast<long long>(number)) +
                "; only Version 1 is supported");
  }
  return Fail("the output has an unsupported Version; only Version 1 is supported");
}

}  // namespace

Result<Credentials> ParseCredentialProcessOutput(std::string_view json) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  simdjson::dom::element document;
  if (auto error = parser.parse(padded).get(document); error != simdjson::SUCCESS) {
    return Fail(std::string("the output is not valid JSON (") + simdjson::error_message(error) +
                ")");
  }
  simdjson::dom::object object;
  if (document.get(object) != simdjson::SUCCESS) return Fail("the output is not a JSON object");
  if (auto r = CheckVersion(object); !r) return r.error();

  Credentials credentials;
  auto access_key = StringMember(object, "AccessKeyId");
  if (!access_key) return access_key.error();
  auto secret = StringMember(object, "SecretAccessKey");
  if (!secret) return secret.error();
  auto token = StringMember(object, "SessionToken");
  if (!token) return token.error();
  auto expiration = StringMember(object, "Expiration");
  if (!expiration) return expiration.error();

  if (!*access_key || (*access_key)->empty()) return Fail("the output has no AccessKeyId");
  if (!*secret || (*secret)->empty()) return Fail("the output has no SecretAccessKey");
  credentials.access_key_id = std::move(**access_key);
  credentials.secret_access_key = std::move(**secret);
  credentials.session_token = token->value_or("");
  if (*expiration) {
    credentials.expiration = ParseRfc3339(**expiration);
    if (!credentials.expiration) {
      return Fail("Expiration in the output is not an RFC 3339 time such as 2024-05-01T12:00:00Z");
    }
  }
  return credentials;
}

ProcessCredentialsProvider::ProcessCredentialsProvider(const SharedConfig& config,
                                                       std::string profile_name,
                                                       ProcessCredentialsOptions options)
    : profile_name_(std::move(profile_name)), options_(options) {
  if (const Profile* profile = config.profile(profile_name_)) {
    command_ = profile->get("credential_process");
  }
}

std::string ProcessCredentialsProvider::name() const {
  return "credential_process of profile '" + profile_name_ + "'";
}

Result<std::optional<Credentials>> ProcessCredentialsProvider::resolve() {
  if (!command_) return std::optional<Credentials>();
  // The command line itself is never quoted: it may carry a token as an argument.
  auto argv = SplitShellWords(*command_);
  if (!argv) return WithContext(name() + ": cannot split the command into words", argv.error());
  if (argv->empty()) return Fail(name() + " is empty");

  auto run = RunProcess(*argv, options_.timeout, options_.max_output);
  if (!run) return WithContext(name(), run.error());
  const ProcessOutput& output = *run;
  if (output.timed_out) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.timeout);
    return Fail(name() + ": " + (*argv)[0] + " did not finish within " +
                std::to_string(seconds.count()) + " seconds and was stopped");
  }
  if (output.signal != 0) {
    return Fail(name() + ": " + (*argv)[0] + " was killed by signal " +
                std::to_string(output.signal));
  }
  if (output.exit_status != 0) {
    // Only stderr is shown: stdout is where a credential helper prints keys.
    const std::string reason = SafeFirstLine(output.err);
    return Fail(name() + ": " + (*argv)[0] + " exited with status " +
                std::to_string(output.exit_status) +
                (reason.empty() ? " and printed nothing on stderr" : ": " + reason));
  }
  if (output.output_truncated && output.out.size() >= options_.max_output) {
    return Fail(name() + ": " + (*argv)[0] + " printed more than " +
                std::to_string(options_.max_output) + " bytes");
  }
  auto credentials = ParseCredentialProcessOutput(output.out);
  if (!credentials) return WithContext(name(), credentials.error());
  credentials->provider = name();
  return std::optional<Credentials>(std::move(*credentials));
}

}  // namespace costwatch::aws
