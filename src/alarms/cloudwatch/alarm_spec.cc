#include "alarms/cloudwatch/alarm_spec.h"

#include <algorithm>
#include <cctype>

#include "util/decimal.h"

namespace costwatch::alarms::cloudwatch {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Quotes user input in an error without letting it span lines or run on.
std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text.substr(0, 80)) {
    out += std::iscntrl(static_cast<unsigned char>(c)) != 0 ? '?' : c;
  }
  if (text.size() > 80) out += "...";
  return out + "\"";
}

}  // namespace

std::optional<std::string> CanonicalDecimal(std::string_view text) {
  auto value = Decimal::Parse(text);
  if (!value || value->is_negative()) return std::nullopt;
  return value->ToShortString();
}

Result<std::string> ParseThreshold(std::string_view text) {
  const std::string usage =
      "--threshold " + Quoted(text) + " is not a positive decimal amount (e.g. 10 or 12.50)";
  const size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  const auto all_digits = [](std::string_view part) {
    return !part.empty() && std::all_of(part.begin(), part.end(), IsDigit);
  };
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction))) {
    return Fail(usage);
  }
  auto canonical = CanonicalDecimal(text);
  if (!canonical || *canonical == "0") return Fail(usage);
  std::string significant = *canonical;
  significant.erase(std::remove(significant.begin(), significant.end(), '.'), significant.end());
  significant.erase(0, significant.find_first_not_of('0'));
  if (significant.size() > 15) {
    return Fail("--threshold " + Quoted(text) +
                " has more than 15 significant digits, more than CloudWatch keeps exactly");
  }
  return *canonical;
}

Result<void> ValidateAlarmName(std::string_view name) {
  const bool valid_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (name.empty() || name.size() > 64 || !valid_chars) {
    return Fail("--name " + Quoted(name) +
                " is not valid: use 1-64 letters, digits, '-' or '_' (it names an SNS topic)");
  }
  return {};
}

Result<void> ValidateEmail(std::string_view email) {
  const size_t at = email.find('@');
  const bool plain = std::none_of(email.begin(), email.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || u == 0x7F || c == ',' || c == ';' || c == '<' || c == '>' || c == '"';
  });
  const std::string_view domain =
      at == std::string_view::npos ? std::string_view{} : email.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (!plain || at == 0 || at == std::string_view::npos || email.size() > 254 ||
      domain.find('@') != std::string_view::npos || dot == std::string_view::npos || dot == 0 ||
      dot + 1 == domain.size()) {
    return Fail("--email " + Quoted(email) + " is not an e-mail address (name@example.com)");
  }
  return {};
}

Result<void> ValidateSpec(BillingAlarmSpec& spec) {
  if (auto ok = ValidateAlarmName(spec.name); !ok) return ok;
  auto threshold = ParseThreshold(spec.threshold);
  if (!threshold) return threshold.error();
  spec.threshold = *threshold;
  const bool currency_ok =
      spec.currency.size() == 3 && std::all_of(spec.currency.begin(), spec.currency.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; });
  if (!currency_ok) {
    return Fail("--currency " + Quoted(spec.currency) +
                " is not a currency code: use three capital letters, e.g. USD");
  }
  if (spec.emails.empty()) return Fail("give at least one --email to notify");
  for (const std::string& email : spec.emails) {
    if (auto ok = ValidateEmail(email); !ok) return ok;
  }
  std::sort(spec.emails.begin(), spec.emails.end());
  spec.emails.erase(std::unique(spec.emails.begin(), spec.emails.end()), spec.emails.end());
  if (spec.service && (spec.service->empty() || spec.service->size() > 255)) {
    return Fail("--service must be a service name as Cost Explorer shows it, e.g. AmazonEC2");
  }
  if (spec.linked_account &&
      (spec.linked_account->size() != 12 ||
       !std::all_of(spec.linked_account->begin(), spec.linked_account->end(), IsDigit))) {
    return Fail("--linked-account " + Quoted(*spec.linked_account) +
                " is not an AWS account id (12 digits)");
  }
  return {};
}

std::string AlarmNameFor(std::string_view name) {
  return std::string(kResourcePrefix) + std::string(name);
}

std::string TopicNameFor(std::string_view name) {
  return std::string(kResourcePrefix) + std::string(name);
}

std::vector<std::pair<std::string, std::string>> BillingDimensions(const BillingAlarmSpec& spec) {
  std::vector<std::pair<std::string, std::string>> dimensions = {{"Currency", spec.currency}};
  if (spec.service) dimensions.emplace_back("ServiceName", *spec.service);
  if (spec.linked_account) dimensions.emplace_back("LinkedAccount", *spec.linked_account);
  return dimensions;
}

}  // namespace costwatch::alarms::cloudwatch
