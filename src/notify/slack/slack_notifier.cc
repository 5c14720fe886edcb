#include "notify/slack/slack_notifier.h"

#include <algorithm>

#include "notify/digest_text.h"
#include "notify/notification_text.h"
#include "util/json.h"

namespace costwatch::notify {
namespace {

// Block Kit limits: a header's plain_text at most 150 characters, section text 3000, a field
// 2000, at most 10 fields per section. Longer text is refused by Slack, so it is cut.
constexpr size_t kHeaderMax = 150;
constexpr size_t kSectionMax = 3000;
constexpr size_t kFieldMax = 2000;
constexpr size_t kFieldsMax = 10;

// Cuts `text` to at most `max` characters (code points), ending with "…" when cut.
std::string Truncate(std::string_view text, size_t max) {
  const auto starts_character = [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  };
  if (static_cast<size_t>(std::count_if(text.begin(), text.end(), starts_character)) <= max)
    return std::string(text);
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Cut before the max-th character: max - 1 of them and the ellipsis.
    if (starts_character(text[i]) && seen++ == max - 1)
      return std::string(text.substr(0, i)) + "\u2026";
  }
  return std::string(text);
}

// Slack's mrkdwn gives &, < and > a meaning; they are escaped as HTML entities.
std::string Mrkdwn(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void AppendTextObject(std::string& out, std::string_view type, std::string_view text) {
  out += R"({"type":")";
  out += type;
  out += R"(","text":)";
  AppendJsonString(out, text);
  out += '}';
}

void AppendMrkdwnSection(std::string& out, std::string_view text) {
  out += R"(,{"type":"section","text":)";
  AppendTextObject(out, "mrkdwn", Truncate(text, kSectionMax));
  out += '}';
}

}  // namespace

std::string SlackPayload(const Notification& n) {
  std::string out = R"({"text":)";
  AppendJsonString(out, n.title);
  out += R"(,"blocks":[{"type":"header","text":)";
  AppendTextObject(out, "plain_text", Truncate(n.title.empty() ? n.rule : n.title, kHeaderMax));
  out += '}';

  std::string intro = Mrkdwn(Preamble(n));
  if (!intro.empty() && !n.reason.empty()) intro += "\n";
  intro += Mrkdwn(n.reason);
  if (!intro.empty()) AppendMrkdwnSection(out, intro);

  out += R"(,{"type":"section","fields":[)";
  const auto facts = Facts(n);
  for (size_t i = 0; i < facts.size() && i < kFieldsMax; ++i) {
    if (i > 0) out += ',';
    AppendTextObject(out, "mrkdwn",
                     Truncate("*" + facts[i].label + "*\n" + Mrkdwn(facts[i].value), kFieldMax));
  }
  out += "]}";

  if (!n.top.empty()) {
    std::string top = "*" + TopHeading(n) + "*";
    for (const auto& contributor : n.top) {
      top += "\n\u2022 " + Mrkdwn(contributor.name) + ": " + Mrkdwn(contributor.amount);
      if (!n.unit.empty()) top += " " + Mrkdwn(n.unit);
    }
    AppendMrkdwnSection(out, top);
  }

  out += R"(,{"type":"context","elements":[)";
  AppendTextObject(out, "mrkdwn", Truncate(Mrkdwn(Footer(n)), kSectionMax));
  out += "]}]}";
  return out;
}

namespace {

// Block Kit allows 50 blocks a message; the lists stop early enough to keep the footer.
constexpr size_t kBlocksMax = 50;

// Appends `lines` under `heading` as sections of at most kSectionMax characters each, while
// fewer than `room` blocks are used.
void AppendListSections(std::string& out, size_t& blocks, size_t room, const std::string& heading,
                        const std::vector<Fact>& lines) {
  std::string text = "*" + Mrkdwn(heading) + "*";
  for (const auto& line : lines) {
    const std::string item = "\n\u2022 " + Mrkdwn(line.label) + ": " + Mrkdwn(line.value);
    if (text.size() + item.size() > kSectionMax && !text.empty()) {
      if (blocks >= room) return;
      AppendMrkdwnSection(out, text);
      ++blocks;
      text.clear();
    }
    text += text.empty() ? item.substr(1) : item;
  }
  if (!text.empty() && blocks < room) {
    AppendMrkdwnSection(out, text);
    ++blocks;
  }
}

}  // namespace

std::string SlackDigestPayload(const Digest& d) {
  std::string out = R"({"text":)";
  AppendJsonString(out, d.title);
  out += R"(,"blocks":[{"type":"header","text":)";
  AppendTextObject(out, "plain_text", Truncate(d.title.empty() ? d.digest : d.title, kHeaderMax));
  out += '}';
  out += R"(,{"type":"context","elements":[)";
  AppendTextObject(out, "mrkdwn", Truncate(Mrkdwn(DigestPeriodText(d)), kSectionMax));
  out += "]}";
  size_t blocks = 2;

  out += R"(,{"type":"section","fields":[)";
  const auto facts = DigestFacts(d);
  for (size_t i = 0; i < facts.size() && i < kFieldsMax; ++i) {
    if (i > 0) out += ',';
    AppendTextObject(
        out, "mrkdwn",
        Truncate("*" + Mrkdwn(facts[i].label) + "*\n" + Mrkdwn(facts[i].value), kFieldMax));
  }
  out += "]}";
  ++blocks;

  // Room for the notes, the link and the footer after the lists.
  const size_t room = kBlocksMax - 3;
  if (const auto top = DigestTopFacts(d); !top.empty())
    AppendListSections(out, blocks, room, DigestTopHeading(d), top);
  if (const auto movers = DigestMoverFacts(d); !movers.empty())
    AppendListSections(out, blocks, room, "Biggest movers", movers);
  std::string notes;
  for (const auto& note : d.notes) notes += (notes.empty() ? "" : "\n") + Mrkdwn(note);
  if (!notes.empty()) AppendMrkdwnSection(out, notes);
  if (!d.link.empty()) {
    // Slack's link syntax <url|text>; the URL is costwatch's own constant, no escaping needed.
    AppendMrkdwnSection(out, "<" + d.link + "|The bill in the AWS console>");
  }
  out += R"(,{"type":"context","elements":[)";
  AppendTextObject(out, "mrkdwn", Truncate(Mrkdwn(DigestFooter(d)), kSectionMax));
  out += "]}]}";
  return out;
}

Result<std::unique_ptr<Notifier>> MakeSlackNotifier(std::string name, const SlackOptions& options,
                                                    std::unique_ptr<http::Client> client) {
  return MakeChatNotifier(std::move(name), options.webhook_url, options.timeout, SlackPayload,
                          SlackDigestPayload, std::move(client));
}

}  // namespace costwatch::notify
