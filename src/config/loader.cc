#include "config/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "config/reader.h"
#include "config/sections.h"
#include "config/yaml_limits.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

// Reads a list section (sources, sinks), refusing an empty one and duplicate names.
template <class T, class ReadOne>
std::vector<T> ReadList(Reader& reader, const YAML::Node& value, const std::string& path,
                        std::string_view what, ReadOne read_one) {
  std::vector<T> items;
  if (!value.IsSequence() || value.size() == 0) {
    reader.Report(value, path + " must be a list of at least one " + std::string(what) +
                             " (each item starting with '- ')");
    return items;
  }
  std::set<std::string> names;
  for (size_t i = 0; i < value.size(); ++i) {
    const YAML::Node item = value[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    auto read = read_one(reader, item, item_path);
    if (!read) continue;
    if (!read->name.empty() && !names.insert(read->name).second) {
      // Point at the name, which is where the fix goes.
      const YAML::Node name_node = item["name"];
      reader.Report(name_node.IsDefined() ? name_node.Mark() : item.Mark(),
                    item_path + ": another " + std::string(what) + " is already named '" +
                        read->name + "'; names must be unique");
    }
    items.push_back(std::move(*read));
  }
  return items;
}

const std::array<Field<FileDraft>, 9> kTopLevelFields = {{
    {{"state_path", "string", "",
      "The state database of `costwatch run` (what was pulled, the outbox). Default: "
      "$XDG_STATE_HOME/costwatch/state.db, else ~/.local/state/costwatch/state.db; --state "
      "overrides it."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       if (auto text = reader.String(value, path)) draft.config.state_path = *text;
     }},
    {{"state_retention_days", "integer", "400",
      "Days of costs, alarm history and paid-request counts the state keeps; older ones are "
      "deleted after each pull (never an event still waiting for a sink). 0 keeps everything. "
      "Must cover what the alarm rules and digests read: 366 for a yearly budget, 90 for a monthly "
      "digest."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.retention_node = value;
       if (auto days = reader.Integer(value, path, 0, 36'500)) {
         draft.config.state_retention_days = static_cast<int>(*days);
       }
     }},
    {{"schedule", "section", "daily_at: \"02:00\" in UTC", "When to pull, below."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.config.schedule = ReadSchedule(reader, value, path);
     }},
    {{"sources", "list of sections", "", "What to pull from Cost Explorer, below.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.config.sources = ReadList<SourceConfig>(
           reader, value, path, "source",
           [](Reader& r, const YAML::Node& item, const std::string& item_path) {
             return std::optional<SourceConfig>(ReadSource(r, item, item_path));
           });
     }},
    {{"sinks", "list of sections", "", "Where to deliver the events, below.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.config.sinks = ReadList<sinks::SinkConfig>(reader, value, path, "sink", ReadSink);
     }},
    {{"notifiers", "list of sections", "",
      "Where billing alarms are sent (e-mail, Slack, Teams, webhooks, events, SNS), below."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.config.notifiers = ReadList<notify::NotifierConfig>(
           reader, value, path, "notifier",
           [&](Reader& r, const YAML::Node& item, const std::string& item_path) {
             return ReadNotifier(r, item, item_path, draft.sink_references);
           });
     }},
    {{"alarms", "list of sections", "", "Local alarm rules, below (docs/alarms.md)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.alarms = ReadList<AlarmDraft>(reader, value, path, "alarm rule", ReadAlarm);
     }},
    {{"digests", "list of sections", "",
      "Scheduled cost digests sent through the notifiers, below (docs/digests.md)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.digests = ReadList<DigestDraft>(reader, value, path, "digest", ReadDigest);
     }},
    {{"server", "section", "",
      "Serve the dashboard, /metrics and the health checks over HTTP from `costwatch run`, "
      "below (docs/metrics.md). Without it, run serves nothing; `costwatch serve` uses it too."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, FileDraft& draft) {
       draft.config.server = ReadServer(reader, value, path);
     }},
}};

// The sinks a cloudevent notifier names must exist; the file may list the sinks after the
// notifiers, so this waits until the whole file is read.
void CheckSinkReferences(Reader& reader, const FileDraft& draft) {
  // Without sinks (a problem reported already) every name would be one more problem.
  if (draft.config.sinks.empty()) return;
  std::vector<std::string> names;
  for (const auto& sink : draft.config.sinks) names.push_back(sink.name);
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  for (const auto& reference : draft.sink_references) {
    if (std::find(names.begin(), names.end(), reference.name) != names.end()) continue;
    const std::string guess = ClosestMatch(reference.name, candidates);
    reader.Report(reference.node, reference.path + ": there is no sink named '" + reference.name +
                                      "'" +
                                      (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }
}

}  // namespace

std::span<const Field<FileDraft>> TopLevelFields() {
  return kTopLevelFields;
}

CheckResult CheckConfigText(std::string_view yaml, const EnvLookup& env) {
  CheckResult result;
  if (auto refused = CheckYamlLimits(yaml)) {
    result.problems.push_back(std::move(*refused));
    return result;
  }
  Reader reader(env);
  // yaml-cpp reports through exceptions; none leaves this module.
  try {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml));
    if (documents.empty() || documents[0].IsNull()) {
      reader.Report(YAML::Mark::null_mark(), "the file is empty; it needs sources and sinks");
    } else {
      if (documents.size() > 1) {
        reader.Report(documents[1], "only one YAML document per file (remove the second '---')");
      }
      FileDraft draft;
      reader.Section<FileDraft>(documents[0], "", kTopLevelFields, draft);
      CheckSinkReferences(reader, draft);
      CheckAlarmRules(reader, draft);
      CheckDigests(reader, draft);
      CheckRetention(reader, draft);
      result.config = std::move(draft.config);
    }
  } catch (const YAML::Exception& e) {
    reader.Report(e.mark, "not valid YAML: " + e.msg);
  }
  result.problems = reader.TakeProblems();
  result.config.environment_values = reader.TakeEnvironmentValues();
  result.config.secret_values = reader.TakeSecretValues();
  // Sections are read in file order, but cross-key checks come after their section.
  std::stable_sort(result.problems.begin(), result.problems.end(),
                   [](const Problem& a, const Problem& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return result;
}

CheckResult CheckConfig(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  // No more than one byte past the limit is read: that is enough to refuse the file, whatever
  // it is (a log, a disk image, /dev/zero).
  std::string text(kMaxConfigBytes + 1, '\0');
  if (in) {
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  if (!in.eof() && text.size() <= kMaxConfigBytes) in.setstate(std::ios::badbit);
  if (!in.is_open() || in.bad()) {
    CheckResult result;
    result.problems.push_back(Problem{0, 0,
                                      std::string("cannot read the file: ") +
                                          std::strerror(errno)});  // NOLINT(concurrency-mt-unsafe)
    return result;
  }
  return CheckConfigText(text, env);
}

Result<Config> LoadConfig(const std::string& path, const EnvLookup& env) {
  CheckResult result = CheckConfig(path, env);
  if (result.ok()) return std::move(result.config);
  std::string message = FormatProblem(path, result.problems.front());
  if (result.problems.size() > 1) {
    message += " (and " + std::to_string(result.problems.size() - 1) +
               " more problems; see costwatch config check " + path + ")";
  }
  return Fail(std::move(message));
}

std::string FormatProblem(std::string_view file, const Problem& problem) {
  std::string out(file);
  if (problem.line > 0) {
    out += ':' + std::to_string(problem.line) + ':' + std::to_string(problem.column);
  }
  out += ": ";
  // One problem, one line, whatever a quoted key contained.
  for (char c : problem.message) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

std::string FormatProblems(std::string_view file, std::span<const Problem> problems) {
  std::string out;
  for (const auto& problem : problems) out += FormatProblem(file, problem) + '\n';
  return out;
}

}  // namespace costwatch::config
