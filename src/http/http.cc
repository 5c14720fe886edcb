#include "http/http.h"

#include <algorithm>
#include <cctype>

namespace costwatch::http {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

namespace {
std::optional<std::string_view> FindHeader(const std::vector<Header>& headers,
                                           std::string_view name) {
  for (const auto& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string_view> Request::header(std::string_view name) const {
  return FindHeader(headers, name);
}

void Request::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::move(name), std::move(value)});
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  return FindHeader(headers, name);
}

}  // namespace costwatch::http
