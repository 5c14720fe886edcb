#include "config/schema.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "config/sections.h"

namespace costwatch::config {

std::vector<SectionSpec> Schema() {
  return {
      {"(top level)", SpecsOf(TopLevelFields())},
      {"schedule", SpecsOf(ScheduleFields())},
      {"sources[]", SpecsOf(SourceFields())},
      {"sinks[]", SpecsOf(SinkCommonFields())},
      {"sinks[] (type: file)", SpecsOf(FileSinkFields())},
      {"sinks[] (type: http)", SpecsOf(HttpSinkFields())},
      {"sinks[].tls", SpecsOf(TlsFields())},
      {"sinks[] (type: kafka)", SpecsOf(KafkaSinkFields())},
      {"alarms[]", SpecsOf(AlarmCommonFields())},
      {"alarms[] (type: month_to_date)", SpecsOf(MonthToDateAlarmFields())},
      {"alarms[] (type: budget)", SpecsOf(BudgetAlarmFields())},
      {"alarms[] (type: spike)", SpecsOf(SpikeAlarmFields())},
      {"digests[]", SpecsOf(DigestFields())},
      {"server", SpecsOf(ServerFields())},
      {"notifiers[]", SpecsOf(NotifierCommonFields())},
      {"notifiers[] (type: email)", SpecsOf(EmailNotifierFields())},
      {"notifiers[] (type: slack)", SpecsOf(SlackNotifierFields())},
      {"notifiers[] (type: teams)", SpecsOf(TeamsNotifierFields())},
      {"notifiers[] (type: webhook)", SpecsOf(WebhookNotifierFields())},
      {"notifiers[] (type: cloudevent)", SpecsOf(CloudEventNotifierFields())},
      {"notifiers[] (type: sns)", SpecsOf(SnsNotifierFields())},
  };
}

bool IsSecretName(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::array<std::string_view, 6> kWords = {"token",         "password", "secret",
                                                      "authorization", "api-key",  "api_key"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return lower.find(word) != std::string::npos; });
}

}  // namespace costwatch::config
