// costwatch alarm test RULE: sends a test notification of a local alarm rule through every
// notifier the rule uses, now, and says how each went.
#pragma once

#include "cli/alarm_command.h"

namespace costwatch::cli {

// 0 when every notifier took it, 1 when one failed, 2 for a bad config or rule name.
int RunAlarmTest(const AlarmOptions& options);

}  // namespace costwatch::cli
