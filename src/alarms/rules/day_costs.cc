#include "alarms/rules/day_costs.h"

#include <simdjson.h>

#include "util/text.h"

namespace costwatch::alarms {

Result<std::vector<DayCost>> ReadDayCosts(std::span<const store::StoredRow> rows,
                                          std::string_view metric) {
  const std::string member = LowerCamelCase(metric);
  simdjson::dom::parser parser;
  std::vector<DayCost> costs;
  costs.reserve(rows.size());
  for (const auto& row : rows) {
    const auto bad = [&](std::string_view what) {
      return Fail("stored event of " + row.period_start + " " + std::string(what) +
                  "; the state database may be damaged");
    };
    simdjson::dom::element data;
    if (parser.parse(row.event_json).get(data) != simdjson::SUCCESS ||
        data["data"].get(data) != simdjson::SUCCESS || !data.is_object()) {
      return bad("is not an event with a data object");
    }
    DayCost cost;
    std::string_view text;
    if (data["date"].get(text) == simdjson::SUCCESS ||
        data["start"].get(text) == simdjson::SUCCESS) {
      cost.day = std::string(text.substr(0, 10));
    } else {
      return bad("has neither date nor start");
    }
    if (data["service"].get(text) == simdjson::SUCCESS) cost.service = std::string(text);
    if (data["account"].get(text) == simdjson::SUCCESS) cost.account = std::string(text);
    if (data["accountName"].get(text) == simdjson::SUCCESS) cost.account_name = std::string(text);
    if (data["recordType"].get(text) == simdjson::SUCCESS) cost.record_type = std::string(text);
    simdjson::dom::object tags;
    if (data["tags"].get(tags) == simdjson::SUCCESS) {
      for (auto field : tags) {
        if (field.value.get(text) == simdjson::SUCCESS) {
          cost.tags.emplace_back(std::string(field.key), std::string(text));
        }
      }
    }
    simdjson::dom::element value;
    std::string_view amount;
    std::string_view unit;
    if (data[member].get(value) != simdjson::SUCCESS ||
        value["amount"].get(amount) != simdjson::SUCCESS ||
        value["unit"].get(unit) != simdjson::SUCCESS) {
      return bad("has no " + member + " amount");
    }
    auto parsed = Decimal::Parse(amount, member + " of " + row.period_start);
    if (!parsed) return bad(parsed.error().message);
    cost.amount = *parsed;
    cost.unit = std::string(unit);
    costs.push_back(std::move(cost));
  }
  return costs;
}

bool InScope(const DayCost& cost, const RuleScope& scope) {
  if (!scope.service.empty() && cost.service != scope.service) return false;
  if (!scope.account.empty() && cost.account != scope.account) return false;
  if (scope.has_tag) {
    for (const auto& [key, value] : cost.tags) {
      if (key == scope.tag_key) return value == scope.tag_value;
    }
    return false;
  }
  return true;
}

std::string DescribeScope(const RuleScope& scope) {
  std::vector<std::string> parts;
  if (!scope.service.empty()) parts.push_back("service " + scope.service);
  if (!scope.account.empty()) parts.push_back("account " + scope.account);
  if (scope.has_tag) parts.push_back("tag " + scope.tag_key + "=" + scope.tag_value);
  if (parts.empty()) return "all costs";
  std::string text = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) text += " and " + parts[i];
  return text;
}

}  // namespace costwatch::alarms
