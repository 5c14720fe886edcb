// The AWS shared config files, ~/.aws/config and ~/.aws/credentials, read as botocore reads them
// (see ini.h for the line format).
//
// In the config file a profile is [default] or [profile NAME]; other plain sections are ignored,
// [sso-session NAME] and [services NAME] are kept. In the credentials file every section is a
// profile named exactly as written. For a profile in both files, each key set in the credentials
// file replaces the config file's value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/environment.h"
#include "aws/ini.h"
#include "util/result.h"

namespace costwatch::aws {

struct Profile {
  std::string name;
  StringMap values;  // keys lower-cased, values trimmed; a key may be present with value ""
  std::map<std::string, StringMap, std::less<>> nested;  // indented blocks, e.g. "s3"

  // A key's plain value; std::nullopt when unset or when the key holds a nested block.
  [[nodiscard]] std::optional<std::string> get(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return values.contains(key); }
  // The settings of a nested block such as "s3 =\n  addressing_style = path", or nullptr.
  [[nodiscard]] const StringMap* nested_section(std::string_view key) const;
};

struct SharedConfigPaths {
  std::string config_file;       // expanded, as opened
  std::string credentials_file;  // expanded, as opened
  // The same paths for messages, with the home directory shown as "~".
  std::string config_display = "~/.aws/config";
  std::string credentials_display = "~/.aws/credentials";
};

// Where the files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or the defaults under
// ~/.aws, with $VAR / ${VAR} and a leading "~" expanded as botocore does (HOME from env, else
// the password database).
SharedConfigPaths ResolveSharedConfigPaths(const Environment& env);

class SharedConfig {
 public:
  SharedConfig() = default;

  // Reads both files. A missing file counts as empty, as in the SDKs; a file that exists but
  // cannot be read or parsed is an Error naming the file and line (never a line's text).
  static Result<SharedConfig> Load(const Environment& env);
  // The same from the files' contents (std::nullopt: the file does not exist).
  static Result<SharedConfig> Parse(std::optional<std::string_view> config_text,
                                    std::optional<std::string_view> credentials_text,
                                    SharedConfigPaths paths = {});

  // The profile with both files merged, or nullptr when neither file has it.
  [[nodiscard]] const Profile* profile(std::string_view name) const;
  // The profile as one file alone has it (the credential providers look at each file in turn).
  [[nodiscard]] const Profile* config_file_profile(std::string_view name) const;
  [[nodiscard]] const Profile* credentials_file_profile(std::string_view name) const;
  [[nodiscard]] const Profile* sso_session(std::string_view name) const;
  [[nodiscard]] const Profile* services(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> profile_names() const;
  [[nodiscard]] const SharedConfigPaths& paths() const { return paths_; }

 private:
  using ProfileMap = std::map<std::string, Profile, std::less<>>;
  static const Profile* Find(const ProfileMap& map, std::string_view name);

  SharedConfigPaths paths_;
  ProfileMap merged_;
  ProfileMap config_profiles_;
  ProfileMap credentials_profiles_;
  ProfileMap sso_sessions_;
  ProfileMap services_;
};

// Which profile is active, and who chose it: the --profile flag, then AWS_DEFAULT_PROFILE, then
// AWS_PROFILE (botocore checks AWS_DEFAULT_PROFILE first), else "default".
struct ActiveProfile {
  enum class Source { kFlag, kEnvironment, kDefault };
  std::string name = "default";
  Source source = Source::kDefault;
  std::string chosen_by;  // "--profile", "AWS_PROFILE", ... ; empty for the default

  // A profile someone asked for must exist; the implicit "default" need not.
  [[nodiscard]] bool explicitly_chosen() const { return source != Source::kDefault; }
};
ActiveProfile SelectProfile(const Environment& env, std::optional<std::string_view> profile_flag);

// Error when the active profile was asked for but is in neither file:
// "profile 'x' (from AWS_PROFILE) not found in ~/.aws/config or ~/.aws/credentials".
Result<void> CheckProfileExists(const SharedConfig& config, const ActiveProfile& active);

}  // namespace costwatch::aws
