// The dashboard's page, script, style sheet and icon, embedded in the binary at build time
// (cmake/embed_assets.cmake turns src/dashboard/assets/* into a generated source), so that
// `costwatch serve` needs no files beside it and no build step on the user's side.
#pragma once

#include <span>
#include <string_view>

namespace costwatch::dashboard {

struct Asset {
  std::string_view path;          // the URL path: /app.js
  std::string_view content_type;  // text/javascript; charset=utf-8
  std::string_view body;
  std::string_view etag;  // a quoted prefix of the body's SHA-256, for conditional requests
};

// Every embedded asset, by path.
std::span<const Asset> EmbeddedAssets();

}  // namespace costwatch::dashboard
