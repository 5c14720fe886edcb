// alarms[]: the local alarm rules (alarms/rules/rule_config.h, docs/alarms.md). Keys belong to
// a rule type; a key of another type is refused, like a sink option of another sink type.
// Checks against the sources (which may come later in the file) run in CheckAlarmRules().
#include <algorithm>
#include <array>

#include "config/sections.h"
#include "config/values.h"
#include "costexplorer/request.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

using alarms::Basis;
using alarms::BudgetPeriod;
using alarms::RuleKind;
using alarms::SpikeBy;

// An exact decimal; `positive` refuses zero and negatives (a threshold of 0 always fires).
std::optional<Decimal> ReadDecimal(Reader& reader, const YAML::Node& value, const std::string& path,
                                   bool positive = true) {
  auto text = reader.ReadText(value, path);
  if (!text) return std::nullopt;
  auto parsed = Decimal::Parse(text->value, path);
  if (!parsed) {
    reader.Report(value, parsed.error().message);
    return std::nullopt;
  }
  if (positive && (parsed->is_zero() || parsed->is_negative())) {
    reader.Report(value, path + " must be more than 0, not " + text->shown);
    return std::nullopt;
  }
  return *parsed;
}

void ReadThreshold(Reader& reader, const YAML::Node& item, const std::string& path,
                   AlarmDraft& draft) {
  auto entries = reader.Mapping(item, path);
  if (!entries) return;
  alarms::BudgetThreshold threshold;
  bool has_percent = false;
  for (const auto& entry : *entries) {
    const std::string key_path = Reader::Join(path, entry.key);
    if (entry.key == "percent") {
      if (auto percent = ReadDecimal(reader, entry.value, key_path)) {
        threshold.percent = *percent;
        has_percent = true;
      }
    } else if (entry.key == "of") {
      auto text = reader.String(entry.value, key_path);
      if (text && (*text == "actual" || *text == "forecast")) {
        threshold.basis = *text == "actual" ? Basis::kActual : Basis::kForecast;
      } else if (text) {
        reader.Report(entry.value, key_path + " must be actual or forecast, not " + *text);
      }
    } else {
      reader.UnknownKey(entry, path,
                        {{"percent", "decimal", "", "", true}, {"of", "string", "actual", ""}});
    }
  }
  if (!has_percent) reader.Report(item, "missing required key 'percent' in " + path);
  draft.config.thresholds.push_back(threshold);
}

const std::array<Field<AlarmDraft>, 10> kCommonFields = {{
    {{"name", "string", "",
      "Unique name of the rule ([a-z0-9_-]+); notifications and `costwatch alarm` use it.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.config.name = *name;
     }},
    {{"type", "string", "", "month_to_date, budget or spike.", true},
     [](Reader&, const YAML::Node&, const std::string&, AlarmDraft&) {}},  // read by ReadAlarm
    {{"source", "string", "the only source",
      "The source whose rows the rule reads; required when the file has several."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.config.source = *name;
       draft.source_node = value;
     }},
    {{"metric", "string", "the source's first metric",
      "A cost metric the source pulls (AmortizedCost, UnblendedCost, ...)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.metric = *text;
       draft.metric_node = value;
     }},
    {{"service", "string", "", "Only this service (needs the source to group by SERVICE)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.scope.service = *text;
       draft.scope_nodes.emplace_back(value, "SERVICE");
     }},
    {{"account", "string", "",
      "Only this linked account id (needs the source to group by LINKED_ACCOUNT)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.scope.account = *text;
       draft.scope_nodes.emplace_back(value, "LINKED_ACCOUNT");
     }},
    {{"tag", "string", "",
      "Only resources with this tag, as KEY=VALUE (needs the source to group by TAG:KEY)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       const size_t equals = text->find('=');
       if (equals == 0 || equals == std::string::npos) {
         reader.Report(value, path + " must be KEY=VALUE (VALUE may be empty), not " + *text);
         return;
       }
       draft.config.scope.tag_key = text->substr(0, equals);
       draft.config.scope.tag_value = text->substr(equals + 1);
       draft.config.scope.has_tag = true;
       draft.scope_nodes.emplace_back(value, "TAG:" + draft.config.scope.tag_key);
     }},
    {{"notify", "list of strings", "every notifier",
      "Names of the notifiers that hear about this rule's changes."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) return;
       for (auto& item : *items) {
         draft.config.notify.push_back(item.value);
         draft.notify_nodes.push_back(item.node);
       }
     }},
    {{"remind_every", "duration", "",
      "Notify again at this interval while the alarm stays in ALARM (e.g. 24h)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       using namespace std::chrono;
       if (auto d = reader.Duration(value, path, hours(1), hours(24 * 90))) {
         draft.config.remind_every = duration_cast<seconds>(*d);
       }
     }},
    {{"description", "string", "", "Free text, shown in notifications."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.description = *text;
     }},
}};

const std::array<Field<AlarmDraft>, 1> kMonthToDateFields = {{
    {{"threshold", "decimal", "",
      "ALARM when the month's spend so far is at or above this amount (the data's currency).",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto amount = ReadDecimal(reader, value, path)) draft.config.threshold = *amount;
     }},
}};

const std::array<Field<AlarmDraft>, 3> kBudgetFields = {{
    {{"amount", "decimal", "", "The budget for each period.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto amount = ReadDecimal(reader, value, path)) draft.config.budget = *amount;
     }},
    {{"period", "string", "month", "month, quarter or year (calendar, UTC)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (*text == "month") {
         draft.config.period = BudgetPeriod::kMonth;
       } else if (*text == "quarter") {
         draft.config.period = BudgetPeriod::kQuarter;
       } else if (*text == "year") {
         draft.config.period = BudgetPeriod::kYear;
       } else {
         reader.Report(value, path + " must be month, quarter or year, not " + *text);
       }
     }},
    {{"thresholds", "list of sections", "[{percent: 100, of: actual}]",
      "Each {percent: P, of: actual|forecast} is an alarm of its own."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (!value.IsSequence() || value.size() == 0) {
         reader.Report(value, path + " must be a list of {percent, of} items");
         return;
       }
       for (size_t i = 0; i < value.size(); ++i) {
         ReadThreshold(reader, value[i], path + "[" + std::to_string(i) + "]", draft);
       }
     }},
}};

const std::array<Field<AlarmDraft>, 4> kSpikeFields = {{
    {{"min_impact", "decimal", "",
      "ALARM when a day costs at least this much more than its baseline.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto amount = ReadDecimal(reader, value, path)) draft.config.min_impact = *amount;
     }},
    {{"min_percent", "decimal", "",
      "...and at least this many percent more than its baseline (both must hold)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto amount = ReadDecimal(reader, value, path)) draft.config.min_percent = *amount;
     }},
    {{"baseline_days", "integer", "14", "Days before the day whose mean is the baseline."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       if (auto days = reader.Integer(value, path, 3, 90)) {
         draft.config.baseline_days = static_cast<int>(*days);
       }
     }},
    {{"by", "string", "total",
      "total, service or account: one alarm for the total or one per service/account."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, AlarmDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (*text == "total") {
         draft.config.by = SpikeBy::kTotal;
       } else if (*text == "service") {
         draft.config.by = SpikeBy::kService;
         draft.scope_nodes.emplace_back(value, "SERVICE");
       } else if (*text == "account") {
         draft.config.by = SpikeBy::kAccount;
         draft.scope_nodes.emplace_back(value, "LINKED_ACCOUNT");
       } else {
         reader.Report(value, path + " must be total, service or account, not " + *text);
       }
     }},
}};

std::vector<Field<AlarmDraft>> With(std::span<const Field<AlarmDraft>> extra) {
  std::vector<Field<AlarmDraft>> fields(kCommonFields.begin(), kCommonFields.end());
  fields.insert(fields.end(), extra.begin(), extra.end());
  return fields;
}

}  // namespace

std::span<const Field<AlarmDraft>> AlarmCommonFields() {
  return kCommonFields;
}
std::span<const Field<AlarmDraft>> MonthToDateAlarmFields() {
  return kMonthToDateFields;
}
std::span<const Field<AlarmDraft>> BudgetAlarmFields() {
  return kBudgetFields;
}
std::span<const Field<AlarmDraft>> SpikeAlarmFields() {
  return kSpikeFields;
}

std::optional<AlarmDraft> ReadAlarm(Reader& reader, const YAML::Node& node,
                                    const std::string& path) {
  AlarmDraft draft;
  draft.node = node;
  if (!node.IsMap()) {
    reader.Report(node, path + " must be a section (name, type, ...)");
    return std::nullopt;
  }
  const YAML::Node type_node = node["type"];
  if (!type_node.IsDefined()) {
    reader.Report(node,
                  "missing required key 'type' in " + path + " (month_to_date, budget or spike)");
    return std::nullopt;
  }
  auto type = reader.String(type_node, Reader::Join(path, "type"));
  if (!type) return std::nullopt;
  std::span<const Field<AlarmDraft>> extra;
  if (*type == "month_to_date") {
    draft.config.kind = RuleKind::kMonthToDate;
    extra = kMonthToDateFields;
  } else if (*type == "budget") {
    draft.config.kind = RuleKind::kBudget;
    extra = kBudgetFields;
  } else if (*type == "spike") {
    draft.config.kind = RuleKind::kSpike;
    extra = kSpikeFields;
  } else {
    constexpr std::array<std::string_view, 3> kTypes = {"month_to_date", "budget", "spike"};
    const std::string guess = ClosestMatch(*type, kTypes);
    reader.Report(type_node, Reader::Join(path, "type") + ": unknown rule type '" + *type + "'" +
                                 (guess.empty() ? " (month_to_date, budget or spike)"
                                                : " (did you mean '" + guess + "'?)"));
    return std::nullopt;
  }
  const auto fields = With(extra);
  reader.Section<AlarmDraft>(node, path, fields, draft);
  if (draft.config.kind == RuleKind::kBudget && draft.config.thresholds.empty()) {
    draft.config.thresholds.push_back({Decimal::FromInteger(100), Basis::kActual});
  }
  draft.name = draft.config.name;
  draft.path = path;
  return draft;
}

}  // namespace costwatch::config
