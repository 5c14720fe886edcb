#include "notify/digest_json.h"

#include <simdjson.h>

#include "util/json.h"

namespace costwatch::notify {
namespace {

void AppendGroup(std::string& out, const DigestGroup& group) {
  out += "{\"name\":";
  AppendJsonString(out, group.name);
  AppendJsonMember(out, "amount", group.amount);
  AppendJsonNullableMember(out, "previous", group.previous);
  out += '}';
}

void GroupsMember(std::string& out, std::string_view name, const std::vector<DigestGroup>& groups) {
  AppendJsonKey(out, name);
  out += '[';
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) out += ',';
    AppendGroup(out, groups[i]);
  }
  out += ']';
}

using simdjson::dom::element;
using simdjson::dom::object;

Error Bad(std::string_view member, std::string_view wanted) {
  return Fail("digest JSON: \"" + std::string(member) + "\" must be " + std::string(wanted));
}

Result<element> Field(object parent, std::string_view member) {
  element value;
  if (parent[member].get(value) != simdjson::SUCCESS)
    return Fail("digest JSON: \"" + std::string(member) + "\" is missing");
  return value;
}

Result<std::string> Text(object parent, std::string_view member) {
  auto value = Field(parent, member);
  if (!value) return value.error();
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) return Bad(member, "a string");
  return std::string(text);
}

Result<std::optional<std::string>> OptionalText(object parent, std::string_view member) {
  auto value = Field(parent, member);
  if (!value) return value.error();
  if (value->is_null()) return std::optional<std::string>();
  std::string_view text;
  if (value->get_string().get(text) != simdjson::SUCCESS) return Bad(member, "a string or null");
  return std::optional<std::string>(std::string(text));
}

Result<DigestGroup> ReadGroup(element item, std::string_view member) {
  object fields;
  if (item.get_object().get(fields) != simdjson::SUCCESS) return Bad(member, "a list of objects");
  DigestGroup group;
  auto name = Text(fields, "name");
  auto amount = Text(fields, "amount");
  auto previous = OptionalText(fields, "previous");
  if (!name) return name.error();
  if (!amount) return amount.error();
  if (!previous) return previous.error();
  return DigestGroup{std::move(*name), std::move(*amount), std::move(*previous)};
}

Result<std::vector<DigestGroup>> Groups(object parent, std::string_view member) {
  auto value = Field(parent, member);
  if (!value) return value.error();
  simdjson::dom::array items;
  if (value->get_array().get(items) != simdjson::SUCCESS) return Bad(member, "a list");
  std::vector<DigestGroup> groups;
  for (const element item : items) {
    auto group = ReadGroup(item, member);
    if (!group) return group.error();
    groups.push_back(std::move(*group));
  }
  return groups;
}

Result<std::vector<DigestFigure>> Figures(object parent) {
  auto value = Field(parent, "figures");
  if (!value) return value.error();
  simdjson::dom::array items;
  if (value->get_array().get(items) != simdjson::SUCCESS) return Bad("figures", "a list");
  std::vector<DigestFigure> figures;
  for (const element item : items) {
    object fields;
    if (item.get_object().get(fields) != simdjson::SUCCESS)
      return Bad("figures", "a list of objects");
    auto label = Text(fields, "label");
    if (!label) return label.error();
    auto amount = Text(fields, "amount");
    if (!amount) return amount.error();
    auto previous = OptionalText(fields, "previous");
    if (!previous) return previous.error();
    auto compared = Text(fields, "comparedWith");
    if (!compared) return compared.error();
    auto note = Text(fields, "note");
    if (!note) return note.error();
    figures.push_back(DigestFigure{std::move(*label), std::move(*amount), std::move(*previous),
                                   std::move(*compared), std::move(*note)});
  }
  return figures;
}

}  // namespace

std::string DigestToJson(const Digest& d) {
  std::string out = "{";
  AppendJsonKey(out, "digest");
  AppendJsonString(out, d.digest);
  AppendJsonMember(out, "id", d.id);
  AppendJsonMember(out, "kind", d.kind);
  AppendJsonMember(out, "title", d.title);
  AppendJsonMember(out, "source", d.source);
  AppendJsonMember(out, "metric", d.metric);
  AppendJsonMember(out, "groupBy", d.group_by);
  AppendJsonMember(out, "unit", d.unit);
  AppendJsonMember(out, "periodStart", d.period_start);
  AppendJsonMember(out, "periodEnd", d.period_end);
  AppendJsonKey(out, "figures");
  out += '[';
  for (size_t i = 0; i < d.figures.size(); ++i) {
    const auto& figure = d.figures[i];
    out += i == 0 ? "{\"label\":" : ",{\"label\":";
    AppendJsonString(out, figure.label);
    AppendJsonMember(out, "amount", figure.amount);
    AppendJsonNullableMember(out, "previous", figure.previous);
    AppendJsonMember(out, "comparedWith", figure.compared_with);
    AppendJsonMember(out, "note", figure.note);
    out += '}';
  }
  out += ']';
  AppendJsonMember(out, "spend", d.spend);
  AppendJsonMember(out, "credits", d.credits);
  AppendJsonMember(out, "refunds", d.refunds);
  GroupsMember(out, "top", d.top);
  AppendJsonKey(out, "rest");
  if (d.rest) {
    AppendGroup(out, *d.rest);
  } else {
    out += "null";
  }
  GroupsMember(out, "movers", d.movers);
  AppendJsonMember(out, "link", d.link);
  AppendJsonKey(out, "notes");
  out += '[';
  for (size_t i = 0; i < d.notes.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, d.notes[i]);
  }
  out += ']';
  AppendJsonMember(out, "time", d.time);
  out += '}';
  return out;
}

bool IsDigestJson(std::string_view json) {
  return json.starts_with("{\"digest\":");
}

Result<Digest> ParseDigest(std::string_view json) {
  simdjson::dom::parser parser;
  element root;
  object fields;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS)
    return Fail("digest JSON: not valid JSON");
  if (root.get_object().get(fields) != simdjson::SUCCESS)
    return Fail("digest JSON: not a JSON object");
  Digest d;
  const std::pair<std::string_view, std::string*> texts[] = {
      {"digest", &d.digest},        {"id", &d.id},         {"kind", &d.kind},
      {"title", &d.title},          {"source", &d.source}, {"metric", &d.metric},
      {"groupBy", &d.group_by},     {"unit", &d.unit},     {"periodStart", &d.period_start},
      {"periodEnd", &d.period_end}, {"spend", &d.spend},   {"credits", &d.credits},
      {"refunds", &d.refunds},      {"link", &d.link},     {"time", &d.time}};
  for (const auto& [member, target] : texts) {
    auto text = Text(fields, member);
    if (!text) return text.error();
    *target = std::move(*text);
  }
  auto figures = Figures(fields);
  if (!figures) return figures.error();
  d.figures = std::move(*figures);
  auto top = Groups(fields, "top");
  if (!top) return top.error();
  d.top = std::move(*top);
  auto movers = Groups(fields, "movers");
  if (!movers) return movers.error();
  d.movers = std::move(*movers);
  auto rest = Field(fields, "rest");
  if (!rest) return rest.error();
  if (!rest->is_null()) {
    auto group = ReadGroup(*rest, "rest");
    if (!group) return group.error();
    d.rest = std::move(*group);
  }
  auto notes = Field(fields, "notes");
  if (!notes) return notes.error();
  simdjson::dom::array items;
  if (notes->get_array().get(items) != simdjson::SUCCESS) return Bad("notes", "a list");
  for (const element item : items) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return Bad("notes", "a list of strings");
    d.notes.emplace_back(text);
  }
  return d;
}

}  // namespace costwatch::notify
