#include "notify/notification_json.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <bitset>

#include "util/json.h"

namespace costwatch::notify {
namespace {

// The members in the order they are written. ParseNotification finds them by index.
enum Member : size_t {
  kId,
  kRule,
  kKind,
  kPreviousState,
  kState,
  kReminder,
  kTest,
  kTitle,
  kReason,
  kScope,
  kAmount,
  kThreshold,
  kUnit,
  kPeriodStart,
  kPeriodEnd,
  kForecast,
  kTop,
  kTime,
  kMemberCount,
};

constexpr std::array<std::string_view, kMemberCount> kMemberNames = {
    "id",   "rule",        "kind",      "previousState", "state",  "reminder",
    "test", "title",       "reason",    "scope",         "amount", "threshold",
    "unit", "periodStart", "periodEnd", "forecast",      "top",    "time"};

void AppendMember(std::string& out, Member member) {
  if (member != kId) out += ',';
  out += '"';
  out += kMemberNames[member];
  out += "\":";
}

void AppendStringMember(std::string& out, Member member, std::string_view value) {
  AppendMember(out, member);
  AppendJsonString(out, value);
}

void AppendBoolMember(std::string& out, Member member, bool value) {
  AppendMember(out, member);
  out += value ? "true" : "false";
}

using simdjson::dom::element;

Error Mistyped(std::string_view member, std::string_view wanted) {
  return Fail("notification JSON: \"" + std::string(member) + "\" must be " + std::string(wanted));
}

Result<std::string> ReadString(element field, std::string_view member) {
  std::string_view text;
  if (field.get_string().get(text) != simdjson::SUCCESS) return Mistyped(member, "a string");
  return std::string(text);
}

Result<bool> ReadBool(element field, std::string_view member) {
  bool flag = false;
  if (field.get_bool().get(flag) != simdjson::SUCCESS) return Mistyped(member, "true or false");
  return flag;
}

Result<std::vector<Contributor>> ReadTop(element field) {
  simdjson::dom::array items;
  if (field.get_array().get(items) != simdjson::SUCCESS) return Mistyped("top", "an array");
  std::vector<Contributor> top;
  for (const element item : items) {
    simdjson::dom::object object;
    element name;
    element amount;
    if (item.get_object().get(object) != simdjson::SUCCESS ||
        object["name"].get(name) != simdjson::SUCCESS ||
        object["amount"].get(amount) != simdjson::SUCCESS)
      return Mistyped("top[]", "an object with name and amount");
    auto name_text = ReadString(name, "top[].name");
    if (!name_text) return name_text.error();
    auto amount_text = ReadString(amount, "top[].amount");
    if (!amount_text) return amount_text.error();
    top.push_back(Contributor{std::move(*name_text), std::move(*amount_text)});
  }
  return top;
}

// Reads one member into the notification.
Result<void> ReadMember(Member member, element field, Notification& n) {
  const std::string_view name = kMemberNames[member];
  std::string* text_target = nullptr;
  switch (member) {
    case kId:
      text_target = &n.id;
      break;
    case kRule:
      text_target = &n.rule;
      break;
    case kKind:
      text_target = &n.kind;
      break;
    case kPreviousState:
      text_target = &n.previous_state;
      break;
    case kState:
      text_target = &n.state;
      break;
    case kTitle:
      text_target = &n.title;
      break;
    case kReason:
      text_target = &n.reason;
      break;
    case kScope:
      text_target = &n.scope;
      break;
    case kAmount:
      text_target = &n.amount;
      break;
    case kThreshold:
      text_target = &n.threshold;
      break;
    case kUnit:
      text_target = &n.unit;
      break;
    case kPeriodStart:
      text_target = &n.period_start;
      break;
    case kPeriodEnd:
      text_target = &n.period_end;
      break;
    case kTime:
      text_target = &n.time;
      break;
    case kReminder:
    case kTest: {
      auto flag = ReadBool(field, name);
      if (!flag) return flag.error();
      (member == kReminder ? n.reminder : n.test) = *flag;
      return {};
    }
    case kForecast: {
      if (field.is_null()) {
        n.forecast.reset();
        return {};
      }
      auto text = ReadString(field, name);
      if (!text) return Mistyped(name, "a string or null");
      n.forecast = std::move(*text);
      return {};
    }
    case kTop: {
      auto top = ReadTop(field);
      if (!top) return top.error();
      n.top = std::move(*top);
      return {};
    }
    case kMemberCount:
      break;
  }
  if (text_target == nullptr) return Fail("notification JSON: unexpected member");
  auto text = ReadString(field, name);
  if (!text) return text.error();
  *text_target = std::move(*text);
  return {};
}

}  // namespace

std::string NotificationToJson(const Notification& n) {
  std::string out;
  out.reserve(512 + 64 * n.top.size());
  out += '{';
  AppendStringMember(out, kId, n.id);
  AppendStringMember(out, kRule, n.rule);
  AppendStringMember(out, kKind, n.kind);
  AppendStringMember(out, kPreviousState, n.previous_state);
  AppendStringMember(out, kState, n.state);
  AppendBoolMember(out, kReminder, n.reminder);
  AppendBoolMember(out, kTest, n.test);
  AppendStringMember(out, kTitle, n.title);
  AppendStringMember(out, kReason, n.reason);
  AppendStringMember(out, kScope, n.scope);
  AppendStringMember(out, kAmount, n.amount);
  AppendStringMember(out, kThreshold, n.threshold);
  AppendStringMember(out, kUnit, n.unit);
  AppendStringMember(out, kPeriodStart, n.period_start);
  AppendStringMember(out, kPeriodEnd, n.period_end);
  AppendMember(out, kForecast);
  if (n.forecast) {
    AppendJsonString(out, *n.forecast);
  } else {
    out += "null";
  }
  AppendMember(out, kTop);
  out += '[';
  for (size_t i = 0; i < n.top.size(); ++i) {
    out += i == 0 ? "{\"name\":" : ",{\"name\":";
    AppendJsonString(out, n.top[i].name);
    out += ",\"amount\":";
    AppendJsonString(out, n.top[i].amount);
    out += '}';
  }
  out += ']';
  AppendStringMember(out, kTime, n.time);
  out += '}';
  return out;
}

Result<Notification> ParseNotification(std::string_view json) {
  // The DOM parser checks the whole text (syntax, UTF-8) before any member is read.
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS)
    return Fail("notification JSON: not valid JSON");
  if (root.get_object().get(object) != simdjson::SUCCESS)
    return Fail("notification JSON: not a JSON object");
  Notification n;
  std::bitset<kMemberCount> seen;
  for (const auto [key, field] : object) {
    const auto* found = std::find(kMemberNames.begin(), kMemberNames.end(), key);
    if (found == kMemberNames.end()) continue;  // from a newer costwatch: ignored
    const auto member = static_cast<Member>(found - kMemberNames.begin());
    if (seen.test(member)) return Fail("notification JSON: \"" + std::string(key) + "\" twice");
    seen.set(member);
    if (auto read = ReadMember(member, field, n); !read) return read.error();
  }
  for (size_t i = 0; i < kMemberCount; ++i) {
    if (!seen.test(i))
      return Fail("notification JSON: \"" + std::string(kMemberNames[i]) + "\" is missing");
  }
  return n;
}

}  // namespace costwatch::notify
