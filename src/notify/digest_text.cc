#include "notify/digest_text.h"

#include "util/decimal.h"

namespace costwatch::notify {
namespace {

std::optional<Decimal> Amount(const std::string& text) {
  auto parsed = Decimal::Parse(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

std::string Noun(const Digest& d) {
  if (d.group_by == "account") return "accounts";
  if (d.group_by.starts_with("tag:")) return "values of tag " + d.group_by.substr(4);
  return "services";
}

}  // namespace

std::string DigestMoney(const Digest& d, const std::string& amount) {
  const auto value = Amount(amount);
  const std::string shown = value ? value->ToFixed(2) : amount;
  return d.unit.empty() ? shown : shown + " " + d.unit;
}

std::string ChangePercent(const std::string& amount, const std::optional<std::string>& previous) {
  if (!previous) return "";
  const auto now = Amount(amount);
  const auto before = Amount(*previous);
  if (!now || !before) return "";
  if (before->is_zero()) return now->is_zero() ? "" : "new";
  const Decimal magnitude = before->is_negative() ? -*before : *before;
  const Decimal percent = ((*now - *before) * Decimal::FromInteger(100)).DividedBy(magnitude, 1);
  return (percent.is_negative() ? "" : "+") + percent.ToFixed(1) + "%";
}

std::string DigestPeriodText(const Digest& d) {
  Notification period;
  period.period_start = d.period_start;
  period.period_end = d.period_end;
  return PeriodText(period) + " \u00b7 by " + d.group_by;
}

std::vector<Fact> DigestFacts(const Digest& d) {
  std::vector<Fact> facts;
  for (const auto& figure : d.figures) {
    std::string value = DigestMoney(d, figure.amount);
    if (figure.previous && !figure.compared_with.empty()) {
      const std::string change = ChangePercent(figure.amount, figure.previous);
      value += ", " + (change.empty() ? std::string("unchanged") : change) + " against " +
               figure.compared_with + " (" + DigestMoney(d, *figure.previous) + ")";
    }
    if (!figure.note.empty()) value += " [" + figure.note + "]";
    facts.push_back({figure.label, value});
  }
  facts.push_back({"Spend before credits and refunds", DigestMoney(d, d.spend)});
  facts.push_back({"Credits", DigestMoney(d, d.credits)});
  facts.push_back({"Refunds", DigestMoney(d, d.refunds)});
  return facts;
}

std::string DigestTopHeading(const Digest& d) {
  return "Top " + Noun(d);
}

std::vector<Fact> DigestTopFacts(const Digest& d) {
  std::vector<Fact> facts;
  const auto line = [&](const DigestGroup& group) {
    std::string value = DigestMoney(d, group.amount);
    if (const std::string change = ChangePercent(group.amount, group.previous); !change.empty())
      value += " (" + change + ")";
    return Fact{group.name, value};
  };
  for (const auto& group : d.top) facts.push_back(line(group));
  if (d.rest) facts.push_back(line(*d.rest));
  return facts;
}

std::vector<Fact> DigestMoverFacts(const Digest& d) {
  std::vector<Fact> facts;
  for (const auto& mover : d.movers) {
    const auto now = Amount(mover.amount);
    const auto before = Amount(mover.previous.value_or("0"));
    if (!now || !before) continue;
    const Decimal change = *now - *before;
    std::string value = (change.is_negative() ? "" : "+") + DigestMoney(d, change.ToString()) +
                        " (" + DigestMoney(d, mover.previous.value_or("0")) + " to " +
                        DigestMoney(d, mover.amount) + ")";
    facts.push_back({mover.name, value});
  }
  return facts;
}

std::string DigestFooter(const Digest& d) {
  return "digest " + d.digest + " \u00b7 source " + d.source + " \u00b7 " + d.metric + " \u00b7 " +
         d.time;
}

std::string DigestPlainText(const Digest& d) {
  std::string out = d.title + "\n\n";
  for (const auto& fact : DigestFacts(d)) out += fact.label + ": " + fact.value + "\n";
  if (const auto top = DigestTopFacts(d); !top.empty()) {
    out += "\n" + DigestTopHeading(d) + ":\n";
    for (const auto& fact : top) out += "  - " + fact.label + ": " + fact.value + "\n";
  }
  if (const auto movers = DigestMoverFacts(d); !movers.empty()) {
    out += "\nBiggest movers:\n";
    for (const auto& fact : movers) out += "  - " + fact.label + ": " + fact.value + "\n";
  }
  for (const auto& note : d.notes) out += "\n" + note + "\n";
  if (!d.link.empty()) out += "\nThe bill in the AWS console: " + d.link + "\n";
  out += "\n-- \n" + DigestFooter(d) + "\n";
  return out;
}

}  // namespace costwatch::notify
