#include "cli/fetch_command.h"

#include <CLI/CLI.hpp>
#include <thread>

#include "aws/json_client.h"
#include "cli/aws_session.h"
#include "cli/output.h"
#include "cli/status_format.h"
#include "costexplorer/client.h"
#include "costexplorer/endpoint.h"
#include "util/dates.h"

namespace costwatch::cli {
namespace {

Result<ce::CostAndUsageQuery> BuildQuery(const FetchOptions& options, std::chrono::sys_days today) {
  ce::CostAndUsageQuery query;
  auto granularity = ce::ParseGranularity(options.granularity);
  if (!granularity) return WithContext("--granularity", granularity.error());
  query.granularity = *granularity;

  query.start = options.start;
  query.end = options.end;
  if (query.start.empty() && query.end.empty()) {
    query.start = FormatDate(today - std::chrono::days{1});
    query.end = FormatDate(today);
  } else if (query.end.empty()) {
    auto start = ParseDate(query.start);
    if (!start) return Fail("--start \"" + query.start + "\" is not a date in YYYY-MM-DD form");
    query.end = FormatDate(*start + std::chrono::days{1});
  } else if (query.start.empty()) {
    auto end = ParseDate(query.end);
    if (!end) return Fail("--end \"" + query.end + "\" is not a date in YYYY-MM-DD form");
    query.start = FormatDate(*end - std::chrono::days{1});
  }
  ce::UseHoursIfHourly(query);
  query.metrics = options.metrics;
  query.group_by.clear();
  if (!options.no_group_by) {
    for (const auto& text : options.group_by) {
      auto group = ce::ParseGroupBy(text);
      if (!group) return WithContext("--group-by", group.error());
      query.group_by.push_back(*group);
    }
  }
  query.filter_json = options.filter;
  if (auto ok = ce::Validate(query, today); !ok) return ok.error();
  return query;
}

}  // namespace

void AddFetchCommand(CLI::App& app, FetchOptions& options) {
  auto* command = app.add_subcommand(
      "fetch", "Read spend from the Cost Explorer API and print it as CloudEvents on stdout");
  command->add_option("--start", options.start, "First day, YYYY-MM-DD (default: yesterday, UTC)");
  command->add_option("--end", options.end, "Day after the last one, YYYY-MM-DD (exclusive)");
  command->add_option("--granularity", options.granularity, "DAILY, HOURLY or MONTHLY")
      ->capture_default_str();
  command->add_option("--metrics", options.metrics, "Metrics, e.g. AmortizedCost,UnblendedCost")
      ->delimiter(',')
      ->capture_default_str();
  command
      ->add_option("--group-by", options.group_by,
                   "Up to two of SERVICE, LINKED_ACCOUNT, REGION, ..., TAG:KEY, COST_CATEGORY:NAME")
      ->delimiter(',')
      ->capture_default_str();
  command->add_flag("--no-group-by", options.no_group_by, "One total per period, not grouped");
  command->add_option("--filter", options.filter, "A Cost Explorer filter Expression as JSON");
  command->add_option("--profile", options.profile,
                      "AWS profile (default: AWS_PROFILE or default)");
  command->add_option("--endpoint-url", options.endpoint_url, "Send requests to this URL");
  command->add_option("--source", options.source, "CloudEvents source attribute")
      ->capture_default_str();
  command
      ->add_option("--timeout", options.timeout_seconds,
                   "Seconds one request may take before it is abandoned and retried")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command->add_flag("--quiet,-q", options.quiet, "No summary on stderr");
}

int RunFetch(const FetchOptions& options) {
  auto query = BuildQuery(options, TodayUtc());
  if (!query) {
    PrintError(query.error().message);
    return 2;
  }
  auto session = OpenAwsSession(options.profile);
  if (!session) {
    PrintError(session.error().message);
    return 1;
  }
  ce::EndpointSettings endpoint_settings;
  if (!options.endpoint_url.empty()) endpoint_settings.endpoint_url = options.endpoint_url;
  if (session->profile != nullptr) {
    endpoint_settings.profile_endpoint_url = session->profile->get("endpoint_url");
  }
  endpoint_settings.region = session->region;
  auto endpoint = ce::ResolveEndpoint(*session->env, endpoint_settings);
  if (!endpoint) {
    PrintError(endpoint.error().message);
    return 2;
  }

  session->http.request_timeout =
      std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  http::HttplibClient http(session->http);
  aws::JsonServiceClient service(
      http, *session->credentials, *endpoint, "AWSInsightsIndexService",
      aws::Backoff(session->retry, aws::SystemRandom()),
      [] { return std::chrono::system_clock::now(); },
      [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); });
  ce::CostExplorerClient client(service);

  events::CostEventEncoder encoder({options.source, query->granularity});
  ByteBuffer out;
  std::optional<Error> row_error;
  auto summary = client.get_cost_and_usage(
      *query, [&](const ce::CostAndUsagePage& page, const ce::CostRow& row) {
        if (row_error) return;
        if (auto ok = encoder.append(page, row, out); !ok) row_error = ok.error();
      });
  const int requests = service.stats().requests_sent;
  const auto paid = [&] {
    return std::to_string(requests) + (requests == 1 ? " paid request" : " paid requests") + ", " +
           FormatCents(requests * store::kCentsPerRequest);
  };
  if (!summary) {
    PrintError(summary.error().message + " (" + paid() + ")");
    return 1;
  }
  if (row_error) {
    PrintError("GetCostAndUsage answer: " + row_error->message);
    return 1;
  }
  if (auto ok = WriteStdout(out.view()); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  if (!options.quiet) {
    PrintNote(std::to_string(summary->rows) + " events from " + query->start + " to " + query->end +
              " (" + std::to_string(summary->pages) +
              (summary->pages == 1 ? " page, " : " pages, ") + paid() + ")");
  }
  return 0;
}

}  // namespace costwatch::cli
