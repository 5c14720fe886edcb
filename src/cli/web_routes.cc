#include "cli/web_routes.h"

#include <memory>

#include "cli/output.h"
#include "config/redact.h"
#include "dashboard/dashboard.h"

#ifndef COSTWATCH_VERSION
#define COSTWATCH_VERSION "dev"
#endif

namespace costwatch::cli {
namespace {

using Clock = std::chrono::system_clock;

std::vector<metrics::SourceInfo> SourceInfos(const config::Config& config) {
  std::vector<metrics::SourceInfo> sources;
  for (const auto& source : config.sources) {
    metrics::SourceInfo info;
    info.name = source.name;
    info.granularity = std::string(ce::ToString(source.granularity));
    info.metrics = source.metrics;
    for (const auto& group : source.group_by) {
      if (group.type != "DIMENSION") continue;
      if (group.key == "SERVICE") info.by_service = true;
      if (group.key == "LINKED_ACCOUNT") info.by_account = true;
    }
    sources.push_back(std::move(info));
  }
  return sources;
}

}  // namespace

web::Router BuildWebRouter(const WebContext& context) {
  auto scrape = std::make_shared<metrics::ScrapeContext>();
  scrape->state_path = context.state_path;
  scrape->sources = SourceInfos(context.config);
  scrape->version = COSTWATCH_VERSION;
  if (context.config.schedule.interval) scrape->pull_period = *context.config.schedule.interval;
  scrape->daemon = context.daemon;

  web::Router router;
  router.Get("/healthz", [](const web::Request&) { return web::TextResponse(200, "ok\n"); });
  router.Get("/readyz", [scrape](const web::Request&) {
    const auto reason = metrics::NotReadyReason(*scrape, Clock::now());
    return reason ? web::TextResponse(503, *reason + "\n") : web::TextResponse(200, "ready\n");
  });
  router.Get("/metrics", [scrape](const web::Request&) {
    web::Response response;
    response.content_type = std::string(metrics::kContentType);
    response.body = metrics::RenderMetrics(*scrape, Clock::now());
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  });

  // The dashboard: the page at / and its /api/* handlers (docs/dashboard.md).
  dashboard::Context dashboard;
  dashboard.state_path = context.state_path;
  dashboard.config = context.config;
  dashboard::AddRoutes(router, dashboard);
  return router;
}

Result<web::ServerOptions> WebServerOptions(const config::Config& config,
                                            const std::string& listen) {
  web::ServerOptions options;
  if (config.server) {
    options.listen = config.server->listen;
    options.bearer_token = config.server->token;
  }
  if (!listen.empty()) {
    auto address = ParseListenAddress(listen);
    if (!address) return WithContext("--listen", address.error());
    options.listen = std::move(*address);
  }
  if (options.bearer_token.empty() && !IsLoopbackHost(options.listen.host)) {
    PrintNote(FormatListenAddress(options.listen) + ": " +
              std::string(config::kServerWithoutTokenWarning) + " (set server.token)");
  }
  return options;
}

}  // namespace costwatch::cli
