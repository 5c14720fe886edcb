// The human-readable pieces every message notifier (e-mail, Slack, Teams) shows, so that they
// all say the same thing: what crossed what, over which period, and who spent it.
#pragma once

#include <string>
#include <vector>

#include "notify/notifier.h"

namespace costwatch::notify {

// One labelled value: "Amount" / "12.40 USD".
struct Fact {
  std::string label;
  std::string value;
};

// State, amount, threshold, period, forecast (when known) and scope, in that order.
std::vector<Fact> Facts(const Notification& notification);

// "2026-11-01 to 2026-11-30": the period with its last day inclusive, as people say it. Text it
// cannot read as dates is shown as it is.
std::string PeriodText(const Notification& notification);

// The heading the top list goes under: "Top services", or "Top accounts" for an account scope.
std::string TopHeading(const Notification& notification);

// A line said above everything else for tests and reminders, else "".
std::string Preamble(const Notification& notification);

// "rule monthly-10usd · notification 3f2a... · 2026-11-29T16:50:10Z": the small print.
std::string Footer(const Notification& notification);

}  // namespace costwatch::notify
