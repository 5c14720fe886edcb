#include "dashboard/dashboard.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "dashboard/api_json.h"
#include "dashboard/assets.h"
#include "dashboard/report_api.h"
#include "store/state_store.h"

namespace costwatch::dashboard {
namespace {

// How many alarm state changes /api/alarms returns, newest first: years of daily changes.
constexpr std::size_t kHistoryLimit = 2000;

// The page may load only its own script, style and icon, and talk only to this server.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

web::Response AssetResponse(const Asset& asset) {
  web::Response response;
  response.content_type = std::string(asset.content_type);
  response.body = std::string(asset.body);
  // Checked again on every load, so the page of an upgraded binary is never stale; the ETag
  // makes that check a 304 without the body while the binary is the same.
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("ETag", std::string(asset.etag));
  // The server adds nosniff, no-referrer and a same-origin policy to every answer; the page's
  // own policy narrows that to exactly what it loads (both apply).
  if (asset.content_type.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  }
  return response;
}

web::Response JsonError(int status, std::string_view message) {
  web::Response response = web::JsonResponse(ErrorJson(message));
  response.status = status;
  return response;
}

// A read-only view of the state for one request: no lock, no migration, no writes.
Result<store::StateStore> OpenState(const Context& context) {
  return store::StateStore::Open(context.state_path, store::OpenMode::kInspect);
}

// /api/alarms and /api/health take no parameters: a typo is refused rather than ignored.
std::optional<web::Response> RefuseParameters(const web::Request& request) {
  if (request.query.empty()) return std::nullopt;
  return JsonError(400, "unknown query parameter '" + request.query.begin()->first + "'; " +
                            request.path + " takes none");
}

web::Response Alarms(const Context& context, const web::Request& request) {
  if (auto refused = RefuseParameters(request)) return std::move(*refused);
  auto store = OpenState(context);
  if (!store) return JsonError(503, store.error().message);
  auto states = store->alarm_states();
  if (!states) return JsonError(500, states.error().message);
  auto history = store->alarm_history(kHistoryLimit);
  if (!history) return JsonError(500, history.error().message);
  return web::JsonResponse(AlarmsJson(context.config, *states, *history, context.now()));
}

web::Response Health(const Context& context, const web::Request& request) {
  if (auto refused = RefuseParameters(request)) return std::move(*refused);
  auto store = OpenState(context);
  if (!store) return JsonError(503, store.error().message);
  auto status = store->status(context.now());
  if (!status) return JsonError(500, status.error().message);
  return web::JsonResponse(HealthJson(context.config, *status, context.now()));
}

web::Response Report(const Context& context, const web::Request& request) {
  const auto now = context.now();
  const auto today = std::chrono::floor<std::chrono::days>(now);
  auto query = ParseReportQuery(request.query, context.config, today);
  if (!query) return JsonError(400, query.error().message);
  auto store = OpenState(context);
  if (!store) return JsonError(503, store.error().message);
  return ReportAnswer(*store, context.config, *query, now);
}

}  // namespace

void AddRoutes(web::Router& router, const Context& context) {
  // The handlers outlive the caller's Context and run on several threads at once; they only
  // read it.
  auto shared = std::make_shared<const Context>(context);
  for (const Asset& asset : EmbeddedAssets()) {
    router.Get(std::string(asset.path),
               [&asset](const web::Request&) { return AssetResponse(asset); });
    if (asset.path == "/index.html") {
      router.Get("/", [&asset](const web::Request&) { return AssetResponse(asset); });
    }
  }
  router.Get("/api/report",
             [shared](const web::Request& request) { return Report(*shared, request); });
  router.Get("/api/alarms",
             [shared](const web::Request& request) { return Alarms(*shared, request); });
  router.Get("/api/health",
             [shared](const web::Request& request) { return Health(*shared, request); });
}

}  // namespace costwatch::dashboard
