// What `costwatch alarm provision` is asked for, checked before any AWS call: the alarm's name,
// its threshold as an exact decimal, the currency, who gets e-mailed, and the optional
// ServiceName / LinkedAccount dimensions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace costwatch::alarms::cloudwatch {

// Every alarm and topic costwatch creates is named with this prefix, so `list` finds them and
// nothing of the user's is touched.
inline constexpr std::string_view kResourcePrefix = "costwatch-";

struct BillingAlarmSpec {
  std::string name;       // the user's name, "monthly-10usd"
  std::string threshold;  // canonical decimal text (CanonicalDecimal), "10.5"
  std::string currency = "USD";
  std::vector<std::string> emails;
  std::optional<std::string> service;         // ServiceName dimension, e.g. "AmazonEC2"
  std::optional<std::string> linked_account;  // LinkedAccount dimension, a 12-digit account id
};

// Checks every field and canonicalises the threshold in place. The error is one line naming
// the flag at fault.
Result<void> ValidateSpec(BillingAlarmSpec& spec);

// 1-64 of [A-Za-z0-9_-]: the name becomes part of an SNS topic name, which allows no more.
Result<void> ValidateAlarmName(std::string_view name);

// A decimal number without sign or exponent ("10", "0.5", "1250.00"), greater than zero, with at
// most 15 significant digits so that CloudWatch's double holds it exactly. Returns it canonical.
Result<std::string> ParseThreshold(std::string_view text);

// The canonical text of a non-negative decimal, also accepting an exponent as AWS may print a
// double ("1.0E7"): no leading zeros, no trailing fractional zeros, no exponent ("10.50" ->
// "10.5", "1.0E7" -> "10000000"). std::nullopt when the text is not such a number. Exact
// (util/decimal.h): thresholds are never converted to double for comparison or display.
std::optional<std::string> CanonicalDecimal(std::string_view text);

// A plausible single e-mail address: local@domain.tld, no spaces, commas or angle brackets.
Result<void> ValidateEmail(std::string_view email);

std::string AlarmNameFor(std::string_view name);  // "costwatch-" + name
std::string TopicNameFor(std::string_view name);  // "costwatch-" + name

// The metric's dimensions: Currency, then ServiceName and LinkedAccount when given.
std::vector<std::pair<std::string, std::string>> BillingDimensions(const BillingAlarmSpec& spec);

}  // namespace costwatch::alarms::cloudwatch
