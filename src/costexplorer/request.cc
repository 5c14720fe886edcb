#include "costexplorer/request.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "util/dates.h"
#include "util/json.h"
#include "util/text.h"

namespace costwatch::ce {
namespace {

constexpr std::array<std::string_view, 7> kMetrics = {
    "AmortizedCost",         "BlendedCost",   "NetAmortizedCost", "NetUnblendedCost",
    "NormalizedUsageAmount", "UnblendedCost", "UsageQuantity"};

// The dimensions GetCostAndUsage can group by: the API reference's list, plus REGION, which
// the API accepts and people group by more than by most of the others.
constexpr std::array<std::string_view, 13> kGroupDimensions = {"AZ",
                                                               "INSTANCE_TYPE",
                                                               "LEGAL_ENTITY_NAME",
                                                               "INVOICING_ENTITY",
                                                               "LINKED_ACCOUNT",
                                                               "OPERATION",
                                                               "PLATFORM",
                                                               "PURCHASE_TYPE",
                                                               "SERVICE",
                                                               "TENANCY",
                                                               "RECORD_TYPE",
                                                               "USAGE_TYPE",
                                                               "REGION"};

constexpr std::array<std::string_view, 6> kFilterKeys = {"And",        "Or",   "Not",
                                                         "Dimensions", "Tags", "CostCategories"};

// How far back hourly data reaches: Cost Explorer keeps hourly granularity for 14 days.
constexpr auto kHourlyWindow = std::chrono::days{14};

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  auto match = ClosestMatch(word, candidates);
  return match.empty() ? "" : " (did you mean " + match + "?)";
}

Result<void> ValidateFilterNode(simdjson::dom::element node, const std::string& path, int depth) {
  if (depth > 10) return Fail("--filter: " + path + " nests too deeply");
  simdjson::dom::object object;
  if (node.get_object().get(object) != simdjson::SUCCESS) {
    return Fail("--filter: " + path + " must be a JSON object");
  }
  if (object.size() != 1) {
    return Fail("--filter: " + path +
                " must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories");
  }
  for (auto [key, value] : object) {
    if (std::find(kFilterKeys.begin(), kFilterKeys.end(), key) == kFilterKeys.end()) {
      return Fail("--filter: unknown key \"" + std::string(key) + "\" in " + path +
                  DidYouMean(key, kFilterKeys));
    }
    const std::string child = path + "." + std::string(key);
    if (key == "And" || key == "Or") {
      simdjson::dom::array operands;
      if (value.get_array().get(operands) != simdjson::SUCCESS || operands.size() < 2) {
        return Fail("--filter: " + child + " must be an array of at least two expressions");
      }
      size_t i = 0;
      for (auto operand : operands) {
        auto ok = ValidateFilterNode(operand, child + "[" + std::to_string(i++) + "]", depth + 1);
        if (!ok) return ok;
      }
    } else if (key == "Not") {
      auto ok = ValidateFilterNode(value, child, depth + 1);
      if (!ok) return ok;
    } else if (!value.is_object()) {
      return Fail("--filter: " + child + " must be an object with Key and Values");
    }
  }
  return {};
}

}  // namespace

Result<void> ValidateFilter(const std::string& filter_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(filter_json).get(root); error != simdjson::SUCCESS) {
    return Fail("--filter is not valid JSON: " + std::string(simdjson::error_message(error)));
  }
  return ValidateFilterNode(root, "Filter", 0);
}

std::string_view ToString(Granularity granularity) {
  switch (granularity) {
    case Granularity::kHourly:
      return "HOURLY";
    case Granularity::kMonthly:
      return "MONTHLY";
    case Granularity::kDaily:
      break;
  }
  return "DAILY";
}

Result<Granularity> ParseGranularity(std::string_view text) {
  const std::string upper = Upper(text);
  if (upper == "DAILY") return Granularity::kDaily;
  if (upper == "HOURLY") return Granularity::kHourly;
  if (upper == "MONTHLY") return Granularity::kMonthly;
  return Fail("granularity must be DAILY, HOURLY or MONTHLY, not \"" + std::string(text) + "\"");
}

std::span<const std::string_view> KnownMetrics() {
  return kMetrics;
}

Result<GroupBy> ParseGroupBy(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return ParseGroupBy("DIMENSION:" + std::string(text));
  }
  const std::string type = Upper(Trim(text.substr(0, colon)));
  const std::string_view key = Trim(text.substr(colon + 1));
  if (key.empty()) return Fail("group-by \"" + std::string(text) + "\" has no key");
  if (type == "TAG" || type == "COST_CATEGORY") return GroupBy{type, std::string(key)};
  if (type != "DIMENSION") {
    return Fail("group-by type must be DIMENSION, TAG or COST_CATEGORY, not \"" + type + "\"");
  }
  std::string dimension = Upper(key);
  if (std::find(kGroupDimensions.begin(), kGroupDimensions.end(), dimension) ==
      kGroupDimensions.end()) {
    return Fail("cannot group by dimension \"" + std::string(key) + "\"" +
                DidYouMean(dimension, kGroupDimensions));
  }
  return GroupBy{type, std::move(dimension)};
}

void UseHoursIfHourly(CostAndUsageQuery& query) {
  if (query.granularity != Granularity::kHourly) return;
  for (auto* bound : {&query.start, &query.end}) {
    if (ParseDate(*bound)) *bound += "T00:00:00Z";
  }
}

Result<void> Validate(const CostAndUsageQuery& query, std::chrono::sys_days today) {
  const bool hourly = query.granularity == Granularity::kHourly;
  const auto parse = [&](const std::string& text,
                         std::string_view flag) -> Result<std::chrono::sys_seconds> {
    if (auto day = ParseDate(text)) return std::chrono::sys_seconds{*day};
    if (hourly) {
      if (auto stamp = ParseUtcTimestamp(text)) return *stamp;
      return Fail(std::string(flag) + " \"" + text +
                  "\" is not a date (YYYY-MM-DD) or hour (YYYY-MM-DDThh:mm:ssZ)");
    }
    return Fail(std::string(flag) + " \"" + text + "\" is not a date in YYYY-MM-DD form");
  };
  auto start = parse(query.start, "--start");
  if (!start) return start.error();
  auto end = parse(query.end, "--end");
  if (!end) return end.error();
  if (*end <= *start) {
    return Fail("--end " + query.end + " must be after --start " + query.start +
                " (the end date is exclusive)");
  }
  if (hourly && *start < std::chrono::sys_seconds{today - kHourlyWindow}) {
    return Fail("HOURLY data covers only the last 14 days; --start " + query.start +
                " is earlier than " + FormatDate(today - kHourlyWindow));
  }
  if (query.metrics.empty()) return Fail("--metrics needs at least one metric");
  for (const auto& metric : query.metrics) {
    if (std::find(kMetrics.begin(), kMetrics.end(), metric) == kMetrics.end()) {
      return Fail("unknown metric \"" + metric + "\"" + DidYouMean(metric, kMetrics) +
                  "; known metrics: AmortizedCost, BlendedCost, NetAmortizedCost, "
                  "NetUnblendedCost, NormalizedUsageAmount, UnblendedCost, UsageQuantity");
    }
  }
  if (query.group_by.size() > 2) {
    return Fail("Cost Explorer groups by at most two keys; --group-by has " +
                std::to_string(query.group_by.size()));
  }
  for (size_t i = 0; i < query.group_by.size(); ++i) {
    for (size_t j = i + 1; j < query.group_by.size(); ++j) {
      if (query.group_by[i] == query.group_by[j]) {
        return Fail("--group-by names " + query.group_by[i].key + " twice");
      }
    }
  }
  if (!query.filter_json.empty()) return ValidateFilter(query.filter_json);
  return {};
}

std::string ToRequestJson(const CostAndUsageQuery& query, std::string_view next_page_token) {
  std::string out = R"({"TimePeriod":{"Start":)";
  AppendJsonString(out, query.start);
  out += R"(,"End":)";
  AppendJsonString(out, query.end);
  out += R"(},"Granularity":")";
  out += ToString(query.granularity);
  out += R"(","Metrics":[)";
  for (size_t i = 0; i < query.metrics.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, query.metrics[i]);
  }
  out += ']';
  if (!query.group_by.empty()) {
    out += R"(,"GroupBy":[)";
    for (size_t i = 0; i < query.group_by.size(); ++i) {
      if (i > 0) out += ',';
      out += R"({"Type":)";
      AppendJsonString(out, query.group_by[i].type);
      out += R"(,"Key":)";
      AppendJsonString(out, query.group_by[i].key);
      out += '}';
    }
    out += ']';
  }
  if (!query.filter_json.empty()) {
    out += R"(,"Filter":)";
    out += query.filter_json;
  }
  if (!next_page_token.empty()) {
    out += R"(,"NextPageToken":)";
    AppendJsonString(out, next_page_token);
  }
  out += '}';
  return out;
}

}  // namespace costwatch::ce
