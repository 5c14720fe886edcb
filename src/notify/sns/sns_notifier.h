// Notifications published to an SNS topic (e-mail, SMS, Lambda, ... subscribers). The SNS
// client lives with the other AWS query-protocol clients (alarms/cloudwatch/sns_client.h); the
// notifier only needs its Publish, passed in, so this module does not depend on AWS signing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "notify/notifier.h"
#include "util/result.h"

namespace costwatch::notify {

// Publishes (topic ARN, subject, message) and returns the MessageId.
using SnsPublish = std::function<Result<std::string>(
    const std::string& topic_arn, const std::string& subject, const std::string& message)>;

// The e-mail notifier's subject made acceptable to SNS, which refuses subjects that are not
// printable ASCII or are 100 characters or longer.
std::string SnsSubject(const Notification& notification);
// Any subject text made acceptable the same way (a digest's title).
std::string SnsSubject(std::string_view text);

std::unique_ptr<Notifier> MakeSnsNotifier(std::string name, std::string topic_arn,
                                          SnsPublish publish);

}  // namespace costwatch::notify
