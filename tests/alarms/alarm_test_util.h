// Shared by the billing alarm tests: fixed credentials, and reading back the form-encoded
// requests the clients sent to a ScriptedHttp.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../aws/scripted_http.h"
#include "aws/credentials.h"

namespace costwatch::alarms::cloudwatch::testing {

class FixedCredentials final : public aws::CredentialsProvider {
 public:
  Result<std::optional<aws::Credentials>> resolve() override {
    return std::optional<aws::Credentials>(
        aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "t"});
  }
  [[nodiscard]] std::string name() const override { return "fixed"; }
};

inline std::string FormDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The decoded name=value pairs of a form body, in order.
inline std::vector<std::pair<std::string, std::string>> FormFields(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view field = body.substr(start, end - start);
    const size_t eq = field.find('=');
    fields.emplace_back(FormDecode(field.substr(0, eq)),
                        eq == std::string_view::npos ? "" : FormDecode(field.substr(eq + 1)));
    start = end + 1;
  }
  return fields;
}

inline std::string Field(const http::Request& request, std::string_view name) {
  for (auto& [key, value] : FormFields(request.body)) {
    if (key == name) return value;
  }
  return "";
}

// The Action of every request sent, in order.
inline std::vector<std::string> Actions(const aws::testing::ScriptedHttp& http) {
  std::vector<std::string> actions;
  actions.reserve(http.sent.size());
  for (const http::Request& request : http.sent) actions.push_back(Field(request, "Action"));
  return actions;
}

}  // namespace costwatch::alarms::cloudwatch::testing
