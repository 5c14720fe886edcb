// sources[]: what each pull asks Cost Explorer for. The same checks as `costwatch fetch`, made
// when the file is checked rather than when a paid request is about to be sent.
#include <array>
#include <chrono>

#include "config/sections.h"
#include "config/values.h"
#include "http/url.h"
#include "util/dates.h"
#include "util/json.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

// Cost Explorer restates recent days; HOURLY data exists for 14 days only.
constexpr int kMaxLookbackDays = 90;
constexpr int kMaxHourlyLookbackDays = 14;

// A filter is written as YAML for readability and sent as JSON. Every scalar becomes a JSON
// string, because every value in a Cost Explorer Expression is one: an account id such as
// 012345678901 keeps its leading zero.
bool AppendFilterJson(Reader& reader, const YAML::Node& node, const std::string& path,
                      std::string& out) {
  if (node.IsMap()) {
    auto entries = reader.Mapping(node, path);
    if (!entries) return false;
    out += '{';
    bool ok = true;
    for (size_t i = 0; i < entries->size(); ++i) {
      const auto& entry = (*entries)[i];
      if (i > 0) out += ',';
      AppendJsonString(out, entry.key);
      out += ':';
      ok = AppendFilterJson(reader, entry.value, Reader::Join(path, entry.key), out) && ok;
    }
    out += '}';
    return ok;
  }
  if (node.IsSequence()) {
    out += '[';
    bool ok = true;
    for (size_t i = 0; i < node.size(); ++i) {
      if (i > 0) out += ',';
      ok = AppendFilterJson(reader, node[i], path + "[" + std::to_string(i) + "]", out) && ok;
    }
    out += ']';
    return ok;
  }
  auto text = reader.ReadText(node, path);
  if (!text) return false;
  AppendJsonString(out, text->value);
  return true;
}

// Validate() names command-line flags; here the same problems are keys of the source.
std::string FlagsToKeys(std::string message, const std::string& path) {
  const std::array<std::pair<std::string_view, std::string_view>, 3> kFlags = {
      {{"--filter", "filter"}, {"--group-by", "group_by"}, {"--metrics", "metrics"}}};
  for (const auto& [flag, key] : kFlags) {
    for (size_t at = message.find(flag); at != std::string::npos; at = message.find(flag, at)) {
      const std::string replacement = path + "." + std::string(key);
      message.replace(at, flag.size(), replacement);
      at += replacement.size();
    }
  }
  return message;
}

const std::array<Field<SourceDraft>, 9> kFields = {{
    {{"name", "string", "", "Unique name of the source ([a-z0-9_-]+); state and logs refer to it.",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.config.name = *name;
     }},
    {{"profile", "string", "",
      "AWS profile from ~/.aws/config and ~/.aws/credentials (a role is a profile with role_arn). "
      "Default: AWS_PROFILE, else 'default'."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.profile = *text;
     }},
    {{"endpoint_url", "string", "",
      "Send requests here instead of the partition's Cost Explorer endpoint (a proxy, a "
      "stand-in)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       if (text->value.rfind("https://", 0) != 0 && text->value.rfind("http://", 0) != 0) {
         reader.Report(value, path + " must be an http:// or https:// URL");
         return;
       }
       // What run checks it with, so that config check refuses what run refuses, in the same
       // words (user information included, never quoted).
       if (auto url = http::ParseUrl(text->value); !url) {
         reader.Report(value, path + ": " + url.error().message);
         return;
       }
       draft.config.endpoint_url = text->value;
     }},
    {{"granularity", "string", "DAILY", "DAILY, HOURLY (last 14 days only) or MONTHLY."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       auto granularity = ce::ParseGranularity(text->value);
       if (!granularity) {
         reader.Report(value, path + " must be DAILY, HOURLY or MONTHLY, not " + text->shown);
         return;
       }
       draft.config.granularity = *granularity;
     }},
    {{"metrics", "list of strings", "[AmortizedCost]",
      "AmortizedCost, BlendedCost, NetAmortizedCost, NetUnblendedCost, NormalizedUsageAmount, "
      "UnblendedCost, UsageQuantity."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) {
         draft.query_ok = false;
         return;
       }
       if (items->empty()) {
         reader.Report(value, path + " needs at least one metric");
         draft.query_ok = false;
         return;
       }
       const auto known = ce::KnownMetrics();
       std::vector<std::string> metrics;
       for (const auto& item : *items) {
         if (std::find(known.begin(), known.end(), item.value) == known.end()) {
           const std::string guess = ClosestMatch(item.value, known);
           std::string known_list;
           for (auto name : known)
             known_list += (known_list.empty() ? "" : ", ") + std::string(name);
           reader.Report(item.node, "unknown metric " + item.shown + " in " + path +
                                        (guess.empty() ? " (known metrics: " + known_list + ")"
                                                       : " (did you mean '" + guess + "'?)"));
           draft.query_ok = false;
         } else if (std::find(metrics.begin(), metrics.end(), item.value) != metrics.end()) {
           reader.Report(item.node, path + " names " + item.value + " twice");
           draft.query_ok = false;
         } else {
           metrics.push_back(item.value);
         }
       }
       draft.config.metrics = std::move(metrics);
     }},
    {{"group_by", "list of strings", "[SERVICE]",
      "Up to two of SERVICE, LINKED_ACCOUNT, REGION, USAGE_TYPE, ..., TAG:key, "
      "COST_CATEGORY:name; [] for one total per period."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) {
         draft.query_ok = false;
         return;
       }
       std::vector<ce::GroupBy> group_by;
       for (const auto& item : *items) {
         auto parsed = ce::ParseGroupBy(item.value);
         if (!parsed) {
           reader.Report(item.node, path + ": " + parsed.error().message);
           draft.query_ok = false;
         } else if (std::find(group_by.begin(), group_by.end(), *parsed) != group_by.end()) {
           reader.Report(item.node, path + " names " + parsed->key + " twice");
           draft.query_ok = false;
         } else {
           group_by.push_back(std::move(*parsed));
         }
       }
       if (items->size() > 2) {
         reader.Report(value, "Cost Explorer groups by at most two keys; " + path + " has " +
                                  std::to_string(items->size()));
         draft.query_ok = false;
       }
       draft.config.group_by = std::move(group_by);
     }},
    {{"filter", "mapping", "",
      "A Cost Explorer Expression written in YAML, e.g. {Dimensions: {Key: REGION, Values: "
      "[eu-west-1]}}; every value is sent as a string."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       if (!value.IsMap()) {
         reader.Report(value, path + " must be a mapping (a Cost Explorer Expression)");
         draft.query_ok = false;
         return;
       }
       std::string json;
       if (!AppendFilterJson(reader, value, path, json)) {
         draft.query_ok = false;
         return;
       }
       draft.config.filter_json = std::move(json);
       draft.filter_node = value;
     }},
    {{"lookback_days", "integer", "3",
      "Days re-fetched on every pull, because Cost Explorer restates recent days; 1 to 90 (14 "
      "for HOURLY)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       if (auto days = reader.Integer(value, path, 1, kMaxLookbackDays)) {
         draft.config.lookback_days = static_cast<int>(*days);
         draft.lookback_node = value;
       }
     }},
    {{"event_source", "string", "cloud.amazon.billing", "The CloudEvents `source` attribute."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SourceDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (text->empty()) {
         reader.Report(value, path + " must not be empty");
         return;
       }
       draft.config.event_source = *text;
     }},
}};

}  // namespace

std::span<const Field<SourceDraft>> SourceFields() {
  return kFields;
}

SourceConfig ReadSource(Reader& reader, const YAML::Node& node, const std::string& path) {
  SourceDraft draft;
  reader.Section<SourceDraft>(node, path, kFields, draft);
  const auto& source = draft.config;
  if (source.granularity == ce::Granularity::kHourly &&
      source.lookback_days > kMaxHourlyLookbackDays) {
    reader.Report(draft.lookback_node, path +
                                           ".lookback_days must be at most 14 for HOURLY "
                                           "data (Cost Explorer keeps 14 days of it)");
  }
  if (draft.query_ok) {
    // The same checks `fetch` makes before paying for a request, on a one-day window.
    const auto today = TodayUtc();
    ce::CostAndUsageQuery query;
    query.start = FormatDate(today - std::chrono::days(1));
    query.end = FormatDate(today);
    query.granularity = source.granularity;
    query.metrics = source.metrics;
    query.group_by = source.group_by;
    query.filter_json = source.filter_json;
    if (auto valid = ce::Validate(query, today); !valid) {
      const bool about_filter = valid.error().message.rfind("--filter", 0) == 0;
      reader.Report(about_filter ? draft.filter_node : node,
                    FlagsToKeys(valid.error().message, path));
    }
  }
  return draft.config;
}

}  // namespace costwatch::config
