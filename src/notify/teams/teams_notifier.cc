#include "notify/teams/teams_notifier.h"

#include "notify/digest_text.h"
#include "notify/notification_text.h"
#include "util/json.h"

namespace costwatch::notify {
namespace {

// A TextBlock that wraps. `extra` is further members, each starting with a comma.
void AppendTextBlock(std::string& out, std::string_view text, std::string_view extra = "") {
  out += R"({"type":"TextBlock","text":)";
  AppendJsonString(out, text);
  out += R"(,"wrap":true)";
  out += extra;
  out += '}';
}

void AppendFactSet(std::string& out, const std::vector<Fact>& facts) {
  out += R"({"type":"FactSet","facts":[)";
  for (size_t i = 0; i < facts.size(); ++i) {
    if (i > 0) out += ',';
    out += R"({"title":)";
    AppendJsonString(out, facts[i].label);
    out += R"(,"value":)";
    AppendJsonString(out, facts[i].value);
    out += '}';
  }
  out += "]}";
}

}  // namespace

std::string TeamsPayload(const Notification& n) {
  std::string out =
      R"({"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",)"
      R"("contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",)"
      R"("type":"AdaptiveCard","version":"1.4","body":[)";
  // Red for an alarm, green when it clears; the card says the state in words too.
  const std::string_view color = n.state == "ALARM" ? "Attention"
                                 : n.state == "OK"  ? "Good"
                                                    : "Default";
  AppendTextBlock(out, n.title.empty() ? n.rule : n.title,
                  R"(,"size":"Medium","weight":"Bolder","color":")" + std::string(color) + '"');
  if (const std::string preamble = Preamble(n); !preamble.empty()) {
    out += ',';
    AppendTextBlock(out, preamble, R"(,"weight":"Bolder")");
  }
  if (!n.reason.empty()) {
    out += ',';
    AppendTextBlock(out, n.reason);
  }
  out += ',';
  AppendFactSet(out, Facts(n));
  if (!n.top.empty()) {
    out += ',';
    AppendTextBlock(out, TopHeading(n), R"(,"weight":"Bolder","spacing":"Medium")");
    std::vector<Fact> top;
    for (const auto& contributor : n.top) {
      top.push_back({contributor.name,
                     n.unit.empty() ? contributor.amount : contributor.amount + " " + n.unit});
    }
    out += ',';
    AppendFactSet(out, top);
  }
  out += ',';
  AppendTextBlock(out, Footer(n), R"(,"size":"Small","isSubtle":true,"spacing":"Medium")");
  out += "]}}]}";
  return out;
}

std::string TeamsDigestPayload(const Digest& d) {
  std::string out =
      R"({"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",)"
      R"("contentUrl":null,"content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json",)"
      R"("type":"AdaptiveCard","version":"1.4","body":[)";
  AppendTextBlock(out, d.title.empty() ? d.digest : d.title,
                  R"(,"size":"Medium","weight":"Bolder")");
  out += ',';
  AppendTextBlock(out, DigestPeriodText(d), R"(,"isSubtle":true,"spacing":"None")");
  out += ',';
  AppendFactSet(out, DigestFacts(d));
  const auto list = [&out](const std::string& heading, const std::vector<Fact>& facts) {
    if (facts.empty()) return;
    out += ',';
    AppendTextBlock(out, heading, R"(,"weight":"Bolder","spacing":"Medium")");
    out += ',';
    AppendFactSet(out, facts);
  };
  list(DigestTopHeading(d), DigestTopFacts(d));
  list("Biggest movers", DigestMoverFacts(d));
  for (const auto& note : d.notes) {
    out += ',';
    AppendTextBlock(out, note);
  }
  out += ',';
  AppendTextBlock(out, DigestFooter(d), R"(,"size":"Small","isSubtle":true,"spacing":"Medium")");
  out += ']';
  if (!d.link.empty()) {
    out += R"(,"actions":[{"type":"Action.OpenUrl","title":"The bill in the AWS console","url":)";
    AppendJsonString(out, d.link);
    out += "}]";
  }
  out += "}}]}";
  return out;
}

Result<std::unique_ptr<Notifier>> MakeTeamsNotifier(std::string name, const TeamsOptions& options,
                                                    std::unique_ptr<http::Client> client) {
  return MakeChatNotifier(std::move(name), options.webhook_url, options.timeout, TeamsPayload,
                          TeamsDigestPayload, std::move(client));
}

}  // namespace costwatch::notify
