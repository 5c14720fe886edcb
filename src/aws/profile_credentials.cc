#include "aws/credential_providers.h"

namespace costwatch::aws {

ProfileCredentialsProvider::ProfileCredentialsProvider(const SharedConfig& config,
                                                       std::string profile_name, File file)
    : profile_name_(std::move(profile_name)),
      file_display_(file == File::kCredentials ? config.paths().credentials_display
                                               : config.paths().config_display) {
  const Profile* profile = file == File::kCredentials
                               ? config.credentials_file_profile(profile_name_)
                               : config.config_file_profile(profile_name_);
  if (profile != nullptr) profile_ = *profile;
}

std::string ProfileCredentialsProvider::name() const {
  return "profile '" + profile_name_ + "' in " + file_display_;
}

Result<std::optional<Credentials>> ProfileCredentialsProvider::resolve() {
  // As in botocore, the access key decides whether this profile has static keys at all.
  if (!profile_ || !profile_->has("aws_access_key_id")) return std::optional<Credentials>();
  const auto where = [&] { return "profile '" + profile_name_ + "' in " + file_display_; };
  if (!profile_->has("aws_secret_access_key")) {
    return Fail(where() + " has aws_access_key_id but no aws_secret_access_key");
  }
  Credentials credentials;
  credentials.access_key_id = profile_->get("aws_access_key_id").value_or("");
  credentials.secret_access_key = profile_->get("aws_secret_access_key").value_or("");
  if (credentials.access_key_id.empty()) return Fail(where() + ": aws_access_key_id is empty");
  if (credentials.secret_access_key.empty()) {
    return Fail(where() + ": aws_secret_access_key is empty");
  }
  // botocore's order: the legacy aws_security_token first.
  for (const char* key : {"aws_security_token", "aws_session_token"}) {
    if (auto token = profile_->get(key)) {
      credentials.session_token = *token;
      break;
    }
  }
  credentials.provider = name();
  return std::optional<Credentials>(std::move(credentials));
}

}  // namespace costwatch::aws
