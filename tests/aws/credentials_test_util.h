// Helpers for the credential tests: a temporary directory per test with config files and scripts.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

namespace costwatch::aws::testing {

using Vars = std::map<std::string, std::string, std::less<>>;

// A secret access key that must never show up in a message.
inline constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
inline constexpr std::string_view kToken =
    "IQoJb3JpZ2luX2VjEXAMPLETOKEN0123456789abcdefSECRETTOKEN";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "costwatch-creds-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] std::string path() const { return path_.string(); }

  // Writes name (relative, directories created) and returns its full path.
  std::string Write(std::string_view name, std::string_view contents) const {
    const std::filesystem::path file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << contents;
    return file.string();
  }

  // Writes an executable /bin/sh script.
  std::string Script(std::string_view name, std::string_view body) const {
    std::string path = Write(name, "#!/bin/sh\n" + std::string(body) + "\n");
    chmod(path.c_str(), 0755);
    return path;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace costwatch::aws::testing
