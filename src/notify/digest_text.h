// The human-readable pieces every message notifier shows of a digest, so that e-mail, Slack,
// Teams and SNS say the same: amounts in cents with the currency, changes in percent (rounded
// for display only; the JSON keeps the exact figures).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "notify/digest.h"
#include "notify/notification_text.h"

namespace costwatch::notify {

// "12.40 USD": an exact amount rounded half away from zero to cents. Text that is not a decimal
// is shown as it is.
std::string DigestMoney(const Digest& digest, const std::string& amount);

// "+4.2%", "-100.0%", "new" (nothing before), "" (no comparison or both zero).
std::string ChangePercent(const std::string& amount, const std::optional<std::string>& previous);

// "2026-11-21 to 2026-11-27 · by service": the period, last day inclusive, and the grouping.
std::string DigestPeriodText(const Digest& digest);

// The headline figures, then spend, credits and refunds: "Yesterday (2026-11-28)" /
// "123.45 USD, +4.2% against the day before (118.47 USD)".
std::vector<Fact> DigestFacts(const Digest& digest);

// "Top services", "Top accounts", "Top values of tag team".
std::string DigestTopHeading(const Digest& digest);

// The top groups and the rest: "Amazon EC2" / "80.00 USD (+2.0%)".
std::vector<Fact> DigestTopFacts(const Digest& digest);

// The movers: "Amazon EC2" / "+12.00 USD (40.00 to 52.00 USD)".
std::vector<Fact> DigestMoverFacts(const Digest& digest);

// "digest daily-costs · source aws · UnblendedCost · 2026-11-29T08:00:03Z": the small print.
std::string DigestFooter(const Digest& digest);

// The whole digest as plain text ('\n' line breaks): the e-mail's text part, SNS, the CLI.
std::string DigestPlainText(const Digest& digest);

}  // namespace costwatch::notify
