#include "aws/shared_config.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "aws/shell_words.h"

namespace costwatch::aws {
namespace {

bool IsVarChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// os.path.expandvars: $NAME and ${NAME} are replaced when set and left as written otherwise.
std::string ExpandVars(std::string_view path, const Environment& env) {
  std::string out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] != '$') {
      out += path[i++];
      continue;
    }
    size_t name_start = i + 1;
    size_t name_end = name_start;
    size_t after = 0;
    if (name_start < path.size() && path[name_start] == '{') {
      const size_t close = path.find('}', name_start);
      if (close == std::string_view::npos) {
        out += path.substr(i);
        break;
      }
      ++name_start;
      name_end = close;
      after = close + 1;
    } else {
      while (name_end < path.size() && IsVarChar(path[name_end])) ++name_end;
      after = name_end;
    }
    const std::string_view name = path.substr(name_start, name_end - name_start);
    const std::optional<std::string> value = name.empty() ? std::nullopt : env.get(name);
    out += value ? std::string_view(*value) : path.substr(i, after - i);
    i = after;
  }
  return out;
}

std::optional<std::string> HomeDirectory(const Environment& env) {
  if (auto home = env.get("HOME")) return home;
  // Like Python's expanduser: without HOME, the password database.
  std::string buffer(16384, '\0');
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr) {
    return std::string(found->pw_dir);
  }
  return std::nullopt;
}

std::string ExpandUser(std::string path, const std::optional<std::string>& home) {
  // "~user" is left alone: nothing in the AWS tooling documents it.
  if (!home || path.empty() || path[0] != '~' || (path.size() > 1 && path[1] != '/')) return path;
  std::string base = *home;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  return base + path.substr(1);
}

std::string DisplayPath(const std::string& path, const std::optional<std::string>& home) {
  if (!home || home->empty() || *home == "/") return path;
  std::string base = *home;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
      path[base.size()] == '/') {
    return "~" + path.substr(base.size());
  }
  return path;
}

// std::nullopt when there is no regular file at path (botocore's os.path.isfile test).
Result<std::optional<std::string>> ReadIfExists(const std::string& path,
                                                const std::string& display) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return std::optional<std::string>();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read " + display + ": " + std::strerror(errno));
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Fail("cannot read " + display + ": " + std::strerror(errno));
  return std::optional<std::string>(contents.str());
}

Profile ToProfile(std::string name, IniSection&& section) {
  return Profile{std::move(name), std::move(section.values), std::move(section.nested)};
}

// "[profile NAME]" -> NAME. The header is split like a shell line, so [profile "a b"] names
// "a b"; any other shape is not a section of that kind.
std::optional<std::string> SectionName(std::string_view header, std::string_view kind) {
  auto words = SplitShellWords(header);
  if (!words || words->size() != 2 || (*words)[0] != kind) return std::nullopt;
  return std::move((*words)[1]);
}

}  // namespace

std::optional<std::string> Profile::get(std::string_view key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

const StringMap* Profile::nested_section(std::string_view key) const {
  auto it = nested.find(key);
  return it == nested.end() ? nullptr : &it->second;
}

SharedConfigPaths ResolveSharedConfigPaths(const Environment& env) {
  const std::optional<std::string> home = HomeDirectory(env);
  auto resolve = [&](std::string_view variable, std::string_view fallback) {
    const std::optional<std::string> set = env.get(variable);
    return ExpandUser(ExpandVars(set ? std::string_view(*set) : fallback, env), home);
  };
  SharedConfigPaths paths;
  paths.config_file = resolve("AWS_CONFIG_FILE", "~/.aws/config");
  paths.credentials_file = resolve("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
  paths.config_display = DisplayPath(paths.config_file, home);
  paths.credentials_display = DisplayPath(paths.credentials_file, home);
  return paths;
}

Result<SharedConfig> SharedConfig::Load(const Environment& env) {
  SharedConfigPaths paths = ResolveSharedConfigPaths(env);
  auto config = ReadIfExists(paths.config_file, paths.config_display);
  if (!config) return config.error();
  auto credentials = ReadIfExists(paths.credentials_file, paths.credentials_display);
  if (!credentials) return credentials.error();
  return Parse(*config, *credentials, std::move(paths));
}

Result<SharedConfig> SharedConfig::Parse(std::optional<std::string_view> config_text,
                                         std::optional<std::string_view> credentials_text,
                                         SharedConfigPaths paths) {
  SharedConfig result;
  result.paths_ = std::move(paths);

  if (config_text) {
    auto sections = ParseIni(*config_text, result.paths_.config_display);
    if (!sections) return sections.error();
    // A later section for the same name replaces an earlier one ([default] and
    // [profile default] both name "default"), as botocore's dict updates do.
    for (IniSection& section : *sections) {
      if (section.name == "default") {
        result.config_profiles_.insert_or_assign("default",
                                                 ToProfile("default", std::move(section)));
      } else if (auto name = SectionName(section.name, "profile")) {
        result.config_profiles_.insert_or_assign(*name, ToProfile(*name, std::move(section)));
      } else if (auto session = SectionName(section.name, "sso-session")) {
        result.sso_sessions_.insert_or_assign(*session, ToProfile(*session, std::move(section)));
      } else if (auto services = SectionName(section.name, "services")) {
        result.services_.insert_or_assign(*services, ToProfile(*services, std::move(section)));
      }
      // Anything else, e.g. a plain [name] or [preview], is not a profile in the config file.
    }
  }
  if (credentials_text) {
    auto sections = ParseIni(*credentials_text, result.paths_.credentials_display);
    if (!sections) return sections.error();
    for (IniSection& section : *sections) {
      std::string name = section.name;
      result.credentials_profiles_.insert_or_assign(name, ToProfile(name, std::move(section)));
    }
  }

  result.merged_ = result.config_profiles_;
  for (const auto& [name, creds] : result.credentials_profiles_) {
    auto [it, inserted] = result.merged_.try_emplace(name, creds);
    if (inserted) continue;
    Profile& merged = it->second;
    for (const auto& [key, value] : creds.values) {
      merged.nested.erase(key);
      merged.values.insert_or_assign(key, value);
    }
    for (const auto& [key, value] : creds.nested) {
      merged.values.erase(key);
      merged.nested.insert_or_assign(key, value);
    }
  }
  return result;
}

const Profile* SharedConfig::Find(const ProfileMap& map, std::string_view name) {
  auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

const Profile* SharedConfig::profile(std::string_view name) const {
  return Find(merged_, name);
}
const Profile* SharedConfig::config_file_profile(std::string_view name) const {
  return Find(config_profiles_, name);
}
const Profile* SharedConfig::credentials_file_profile(std::string_view name) const {
  return Find(credentials_profiles_, name);
}
const Profile* SharedConfig::sso_session(std::string_view name) const {
  return Find(sso_sessions_, name);
}
const Profile* SharedConfig::services(std::string_view name) const {
  return Find(services_, name);
}

std::vector<std::string> SharedConfig::profile_names() const {
  std::vector<std::string> names;
  names.reserve(merged_.size());
  for (const auto& [name, profile] : merged_) names.push_back(name);
  return names;
}

ActiveProfile SelectProfile(const Environment& env, std::optional<std::string_view> profile_flag) {
  if (profile_flag && !profile_flag->empty()) {
    return {std::string(*profile_flag), ActiveProfile::Source::kFlag, "--profile"};
  }
  for (const char* variable : {"AWS_DEFAULT_PROFILE", "AWS_PROFILE"}) {
    if (auto name = env.get(variable)) {
      return {std::move(*name), ActiveProfile::Source::kEnvironment, variable};
    }
  }
  return {};
}

Result<void> CheckProfileExists(const SharedConfig& config, const ActiveProfile& active) {
  if (!active.explicitly_chosen() || config.profile(active.name) != nullptr) return {};
  return Fail("profile '" + active.name + "' (from " + active.chosen_by + ") not found in " +
              config.paths().config_display + " or " + config.paths().credentials_display);
}

}  // namespace costwatch::aws
