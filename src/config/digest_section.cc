// digests[]: scheduled cost digests (digests/digest_config.h, docs/digests.md). Checks against
// the sources and notifiers, which may come later in the file, run in CheckDigests().
#include <algorithm>
#include <array>

#include "config/sections.h"
#include "config/values.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

using digests::DigestKind;
using digests::Grouping;

constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

const std::array<Field<DigestDraft>, 12> kFields = {{
    {{"name", "string", "", "Unique name of the digest ([a-z0-9_-]+).", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.config.name = *name;
     }},
    {{"kind", "string", "",
      "daily (yesterday, 7 days, month to date, forecast), weekly (the last 7 days) or monthly "
      "(the closed month: the bill).",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (*text == "daily") {
         draft.config.kind = DigestKind::kDaily;
       } else if (*text == "weekly") {
         draft.config.kind = DigestKind::kWeekly;
       } else if (*text == "monthly") {
         draft.config.kind = DigestKind::kMonthly;
       } else {
         constexpr std::array<std::string_view, 3> kKinds = {"daily", "weekly", "monthly"};
         const std::string guess = ClosestMatch(*text, kKinds);
         reader.Report(value, path + ": unknown digest kind '" + *text + "'" +
                                  (guess.empty() ? " (daily, weekly or monthly)"
                                                 : " (did you mean '" + guess + "'?)"));
       }
     }},
    {{"source", "string", "the only source",
      "The source whose stored costs the digest reads; required when the file has several."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.config.source = *name;
       draft.source_node = value;
     }},
    {{"metric", "string", "the source's first cost metric",
      "A cost metric the source pulls (AmortizedCost, UnblendedCost, ...)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.metric = *text;
       draft.metric_node = value;
       draft.metric_set = true;
     }},
    {{"group_by", "string", "service",
      "service, account or tag:KEY; the source must group by SERVICE, LINKED_ACCOUNT or "
      "TAG:KEY."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       draft.group_by_node = value;
       draft.group_by_set = true;
       if (*text == "service") {
         draft.config.group_by = Grouping::kService;
       } else if (*text == "account") {
         draft.config.group_by = Grouping::kAccount;
       } else if (text->starts_with("tag:") && text->size() > 4) {
         draft.config.group_by = Grouping::kTag;
         draft.config.tag_key = text->substr(4);
       } else {
         reader.Report(value, path + " must be service, account or tag:KEY, not " + *text);
       }
     }},
    {{"top", "integer", "10",
      "How many groups are listed by name (1 to 100); the others are summed into one line."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       if (auto top = reader.Integer(value, path, 1, 100))
         draft.config.top = static_cast<int>(*top);
     }},
    {{"notifiers", "list of strings", "every notifier",
      "Names of the notifiers (notifiers[]) that receive the digest."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) return;
       for (auto& item : *items) {
         draft.config.notifiers.push_back(item.value);
         draft.notifier_nodes.push_back(item.node);
       }
     }},
    {{"at", "HH:MM", "08:00", "Local time of day (in `timezone`) the digest goes out."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       auto clock = reader.TimeOfDay(value, path);
       if (!clock) return;
       draft.config.at = *clock;
     }},
    {{"timezone", "string", "UTC", "IANA time zone of `at`, weekday and day, e.g. Europe/Paris."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       if (auto zone = reader.TimeZone(value, path)) draft.config.timezone = std::move(*zone);
     }},
    {{"weekday", "string", "monday", "weekly only: the day of the week it goes out."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       draft.weekday_node = value;
       draft.weekday_set = true;
       const auto found = std::find(kWeekdays.begin(), kWeekdays.end(), *text);
       if (found == kWeekdays.end()) {
         reader.Report(value, path +
                                  " must be a day of the week in lower case (monday ... "
                                  "sunday), not " +
                                  *text);
         return;
       }
       draft.config.weekday =
           std::chrono::weekday(static_cast<unsigned>(found - kWeekdays.begin()));
     }},
    {{"day", "integer", "3",
      "monthly only: the day of the month it goes out (1 to 28); AWS finalises the month's "
      "bill in its first days."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft& draft) {
       draft.day_node = value;
       draft.day_set = true;
       if (auto day = reader.Integer(value, path, 1, 28)) {
         draft.config.day = static_cast<unsigned>(*day);
       }
     }},
    {{"description", "string", "", "Free text for people; not sent."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, DigestDraft&) {
       (void)reader.String(value, path);
     }},
}};

const SourceConfig* FindSource(Reader& reader, const Config& config, const DigestDraft& digest) {
  const auto& sources = config.sources;
  if (digest.config.source.empty()) {
    if (sources.size() == 1) return &sources.front();
    if (!sources.empty()) {
      reader.Report(digest.node, digest.path +
                                     ": the file has several sources; name one with "
                                     "'source'");
    }
    return nullptr;
  }
  const auto found = std::find_if(sources.begin(), sources.end(), [&](const SourceConfig& s) {
    return s.name == digest.config.source;
  });
  if (found != sources.end()) return &*found;
  std::vector<std::string_view> names;
  names.reserve(sources.size());
  for (const auto& source : sources) names.emplace_back(source.name);
  const std::string guess = ClosestMatch(digest.config.source, names);
  reader.Report(digest.source_node, digest.path + ".source: no source is named '" +
                                        digest.config.source + "'" +
                                        (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  return nullptr;
}

void CheckMetric(Reader& reader, const SourceConfig& source, DigestDraft& digest) {
  auto& metric = digest.config.metric;
  const YAML::Node at = digest.metric_set ? digest.metric_node : digest.node;
  if (metric.empty()) {
    const auto first = std::find_if(source.metrics.begin(), source.metrics.end(), IsCostMetric);
    if (first == source.metrics.end()) {
      reader.Report(at, digest.path + ": source '" + source.name +
                            "' pulls no cost metric (AmortizedCost, UnblendedCost, ...)");
      return;
    }
    metric = *first;
  } else if (!IsCostMetric(metric)) {
    reader.Report(at, digest.path + ".metric: " + metric + " is not a cost metric");
  } else if (std::find(source.metrics.begin(), source.metrics.end(), metric) ==
             source.metrics.end()) {
    reader.Report(at, digest.path + ".metric: source '" + source.name + "' does not pull " +
                          metric + " (add it to its metrics)");
  }
}

void CheckGrouping(Reader& reader, const SourceConfig& source, const DigestDraft& digest) {
  const auto& config = digest.config;
  const std::string group = config.group_by == Grouping::kService   ? "SERVICE"
                            : config.group_by == Grouping::kAccount ? "LINKED_ACCOUNT"
                                                                    : "TAG:" + config.tag_key;
  if (GroupsBy(source, group)) return;
  reader.Report(digest.group_by_set ? digest.group_by_node : digest.node,
                digest.path + ": needs source '" + source.name + "' to group by " + group +
                    " (add it to the source's group_by)");
}

void CheckNotifiers(Reader& reader, const Config& config, const DigestDraft& digest) {
  std::vector<std::string_view> names;
  names.reserve(config.notifiers.size());
  for (const auto& notifier : config.notifiers) names.emplace_back(notifier.name);
  if (digest.config.notifiers.empty() && names.empty()) {
    reader.Report(digest.node, digest.path + ": the file has no notifiers to send it to");
  }
  for (size_t i = 0; i < digest.config.notifiers.size() && i < digest.notifier_nodes.size(); ++i) {
    const std::string& name = digest.config.notifiers[i];
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    const std::string guess = ClosestMatch(name, names);
    reader.Report(digest.notifier_nodes[i],
                  digest.path + ".notifiers: no notifier is named '" + name + "'" +
                      (guess.empty() ? (names.empty() ? " (the file has no notifiers)" : "")
                                     : " (did you mean '" + guess + "'?)"));
  }
}

}  // namespace

std::span<const Field<DigestDraft>> DigestFields() {
  return kFields;
}

std::optional<DigestDraft> ReadDigest(Reader& reader, const YAML::Node& node,
                                      const std::string& path) {
  DigestDraft draft;
  draft.node = node;
  draft.path = path;
  if (!node.IsMap()) {
    reader.Report(node, path + " must be a section (name, kind, ...)");
    return std::nullopt;
  }
  reader.Section<DigestDraft>(node, path, kFields, draft);
  if (draft.weekday_set && draft.config.kind != DigestKind::kWeekly) {
    reader.Report(draft.weekday_node, path + ".weekday is for weekly digests only");
  }
  if (draft.day_set && draft.config.kind != DigestKind::kMonthly) {
    reader.Report(draft.day_node, path + ".day is for monthly digests only");
  }
  draft.name = draft.config.name;
  return draft;
}

void CheckDigests(Reader& reader, FileDraft& draft) {
  for (auto& digest : draft.digests) {
    CheckNotifiers(reader, draft.config, digest);
    const SourceConfig* source = FindSource(reader, draft.config, digest);
    if (source == nullptr) continue;
    digest.config.source = source->name;
    CheckMetric(reader, *source, digest);
    CheckGrouping(reader, *source, digest);
    if (source->granularity == ce::Granularity::kMonthly &&
        digest.config.kind != DigestKind::kMonthly) {
      reader.Report(digest.node,
                    digest.path + ": a " + std::string(digests::KindName(digest.config.kind)) +
                        " digest needs days, but source '" + source->name + "' pulls MONTHLY rows");
    }
  }
  for (auto& digest : draft.digests) draft.config.digests.push_back(std::move(digest.config));
}

}  // namespace costwatch::config
