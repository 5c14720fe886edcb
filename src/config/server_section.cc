// server: where `costwatch run` and `costwatch serve` answer HTTP, and the token they ask for.
#include <array>

#include "config/sections.h"

namespace costwatch::config {

namespace {

const std::array<Field<ServerConfig>, 2> kFields = {{
    {{"listen", "HOST:PORT", "127.0.0.1:8377",
      "Address and port of the dashboard, /metrics, /healthz and /readyz; [::1]:8377 for IPv6, "
      "0.0.0.0:8377 for every interface (then set token). --listen overrides it."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ServerConfig& server) {
       auto text = reader.String(value, path);
       if (!text) return;
       auto address = ParseListenAddress(*text);
       if (!address) {
         reader.Report(value, path + ": " + address.error().message);
         return;
       }
       server.listen = std::move(*address);
     }},
    {{"token", "string, secret", "",
      "Bearer token every request must carry (Authorization: Bearer TOKEN), e.g. "
      "${COSTWATCH_TOKEN}. Secret: never printed. Without it anyone who can reach the port sees "
      "the costs: costwatch warns when listen is not a loopback address.",
      false, true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, ServerConfig& server) {
       auto token = reader.String(value, path, /*secret=*/true);
       if (!token) return;
       if (token->empty()) {
         reader.Report(value, path + " is empty; remove it to serve without a token");
         return;
       }
       if (token->find_first_of(" \t\r\n") != std::string::npos) {
         reader.Report(value, path + " must not contain spaces or line breaks");
         return;
       }
       server.token = std::move(*token);
     }},
}};

}  // namespace

std::span<const Field<ServerConfig>> ServerFields() {
  return kFields;
}

ServerConfig ReadServer(Reader& reader, const YAML::Node& node, const std::string& path) {
  ServerConfig server;
  // `server:` with nothing under it (a null) serves with the defaults.
  reader.Section<ServerConfig>(node, path, kFields, server);
  return server;
}

}  // namespace costwatch::config
