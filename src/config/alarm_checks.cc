// alarms[] against the rest of the file: each rule's source, metric and scope must exist in
// what the source pulls, or the rule could never see a cost.
#include <algorithm>
#include <array>

#include "config/sections.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

// Metrics that are money; usage quantities have no currency to compare with a threshold.
constexpr std::array<std::string_view, 5> kCostMetrics = {
    "AmortizedCost", "BlendedCost", "NetAmortizedCost", "NetUnblendedCost", "UnblendedCost"};

const SourceConfig* FindSource(const Config& config, const AlarmDraft& alarm, Reader& reader) {
  const auto& sources = config.sources;
  if (alarm.config.source.empty()) {
    if (sources.size() == 1) return &sources.front();
    if (!sources.empty()) {
      reader.Report(alarm.node, alarm.path +
                                    ": the file has several sources; name one with "
                                    "'source'");
    }
    return nullptr;
  }
  const auto found = std::find_if(sources.begin(), sources.end(), [&](const SourceConfig& s) {
    return s.name == alarm.config.source;
  });
  if (found != sources.end()) return &*found;
  std::vector<std::string_view> names;
  names.reserve(sources.size());
  for (const auto& source : sources) names.emplace_back(source.name);
  const std::string guess = ClosestMatch(alarm.config.source, names);
  reader.Report(alarm.source_node, alarm.path + ".source: no source is named '" +
                                       alarm.config.source + "'" +
                                       (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  return nullptr;
}

void CheckMetric(Reader& reader, const SourceConfig& source, AlarmDraft& alarm) {
  auto& metric = alarm.config.metric;
  const YAML::Node at = alarm.metric_node.IsDefined() ? alarm.metric_node : alarm.node;
  if (metric.empty()) {
    // The source's first money metric: a usage quantity cannot be compared with an amount.
    const auto first = std::find_first_of(source.metrics.begin(), source.metrics.end(),
                                          kCostMetrics.begin(), kCostMetrics.end());
    if (first == source.metrics.end()) {
      reader.Report(at, alarm.path + ": source '" + source.name +
                            "' pulls no cost metric (AmortizedCost, UnblendedCost, ...)");
      return;
    }
    metric = *first;
    return;
  }
  if (std::find(kCostMetrics.begin(), kCostMetrics.end(), metric) == kCostMetrics.end()) {
    reader.Report(at, alarm.path + ".metric: " + metric +
                          " is not a cost metric (AmortizedCost, BlendedCost, "
                          "NetAmortizedCost, NetUnblendedCost, UnblendedCost)");
  } else if (std::find(source.metrics.begin(), source.metrics.end(), metric) ==
             source.metrics.end()) {
    reader.Report(at, alarm.path + ".metric: source '" + source.name + "' does not pull " + metric +
                          " (add it to its metrics)");
  }
}

void CheckNotifierNames(Reader& reader, const Config& config, const AlarmDraft& alarm) {
  std::vector<std::string_view> names;
  names.reserve(config.notifiers.size());
  for (const auto& notifier : config.notifiers) names.emplace_back(notifier.name);
  for (size_t i = 0; i < alarm.config.notify.size() && i < alarm.notify_nodes.size(); ++i) {
    const std::string& name = alarm.config.notify[i];
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    const std::string guess = ClosestMatch(name, names);
    reader.Report(alarm.notify_nodes[i],
                  alarm.path + ".notify: no notifier is named '" + name + "'" +
                      (guess.empty() ? (names.empty() ? " (the file has no notifiers)" : "")
                                     : " (did you mean '" + guess + "'?)"));
  }
}

// The longest stretch of days, back from today, whose costs a rule reads (alarms/rules'
// DaysNeeded): a whole calendar period for a budget, the baseline and the day for a spike.
int DaysRead(const alarms::RuleConfig& rule) {
  switch (rule.kind) {
    case alarms::RuleKind::kMonthToDate:
      return 31;
    case alarms::RuleKind::kBudget:
      switch (rule.period) {
        case alarms::BudgetPeriod::kMonth:
          return 31;
        case alarms::BudgetPeriod::kQuarter:
          return 92;
        case alarms::BudgetPeriod::kYear:
          return 366;
      }
      return 366;
    case alarms::RuleKind::kSpike:
      return rule.baseline_days + 1;
  }
  return 366;
}

std::string_view KindName(const alarms::RuleConfig& rule) {
  if (rule.kind == alarms::RuleKind::kSpike) return "spike rule";
  if (rule.kind == alarms::RuleKind::kMonthToDate) return "month_to_date rule";
  switch (rule.period) {
    case alarms::BudgetPeriod::kMonth:
      return "monthly budget";
    case alarms::BudgetPeriod::kQuarter:
      return "quarterly budget";
    case alarms::BudgetPeriod::kYear:
      return "yearly budget";
  }
  return "budget";
}

// The same for a digest (digests/digest.h's PlanDigest): a daily one compares month to date
// with the month before, a monthly one, sent up to the 28th, the two closed months before.
int DaysRead(const digests::DigestConfig& digest) {
  switch (digest.kind) {
    case digests::DigestKind::kDaily:
      return 62;
    case digests::DigestKind::kWeekly:
      return 14;
    case digests::DigestKind::kMonthly:
      return 90;
  }
  return 90;
}

}  // namespace

void CheckRetention(Reader& reader, const FileDraft& draft) {
  const int kept = draft.config.state_retention_days;
  if (kept == 0) return;
  // The reader of the most days, as "the yearly budget 'name'".
  int longest = 0;
  std::string reader_name;
  const auto consider = [&](int days, std::string_view kind, const std::string& name) {
    if (days <= longest) return;
    longest = days;
    reader_name = "the " + std::string(kind) + " '" + name + "'";
  };
  for (const auto& rule : draft.config.alarms) consider(DaysRead(rule), KindName(rule), rule.name);
  for (const auto& digest : draft.config.digests) {
    consider(DaysRead(digest), std::string(digests::KindName(digest.kind)) + " digest",
             digest.name);
  }
  if (longest <= kept) return;
  const std::string needed = std::to_string(longest);
  reader.Report(draft.retention_node, "state_retention_days: " + std::to_string(kept) +
                                          " days would delete costs " + reader_name + " reads (" +
                                          needed + " days); raise it to at least " + needed +
                                          ", or 0 to keep everything");
}

bool GroupsBy(const SourceConfig& source, const std::string& group) {
  return std::any_of(source.group_by.begin(), source.group_by.end(), [&](const ce::GroupBy& g) {
    if (group.starts_with("TAG:")) return g.type == "TAG" && g.key == group.substr(4);
    return g.type == "DIMENSION" && g.key == group;
  });
}

bool IsCostMetric(std::string_view metric) {
  return std::find(kCostMetrics.begin(), kCostMetrics.end(), metric) != kCostMetrics.end();
}

void CheckAlarmRules(Reader& reader, FileDraft& draft) {
  for (auto& alarm : draft.alarms) {
    CheckNotifierNames(reader, draft.config, alarm);
    const SourceConfig* source = FindSource(draft.config, alarm, reader);
    if (source == nullptr) continue;
    alarm.config.source = source->name;
    CheckMetric(reader, *source, alarm);
    for (const auto& [node, group] : alarm.scope_nodes) {
      if (GroupsBy(*source, group)) continue;
      reader.Report(node, alarm.path + ": needs source '" + source->name + "' to group by " +
                              group + " (add it to the source's group_by)");
    }
    if (alarm.config.kind == alarms::RuleKind::kSpike &&
        source->granularity == ce::Granularity::kMonthly) {
      reader.Report(alarm.node, alarm.path + ": a spike rule compares days, but source '" +
                                    source->name + "' pulls MONTHLY rows");
    }
  }
  for (auto& alarm : draft.alarms) draft.config.alarms.push_back(std::move(alarm.config));
}

}  // namespace costwatch::config
