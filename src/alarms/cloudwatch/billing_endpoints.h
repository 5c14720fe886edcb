// Where the billing alarm's CloudWatch and SNS calls go. AWS publishes the AWS/Billing metrics
// only in us-east-1, and an alarm can only notify a topic in its own region, so both services
// are always us-east-1, whatever AWS_REGION or the profile says. A configured endpoint URL
// (AWS_ENDPOINT_URL_CLOUDWATCH / _SNS, the profile's services section, AWS_ENDPOINT_URL) still
// wins, signed for us-east-1, so tests and proxies work.
#pragma once

#include <string_view>

#include "aws/environment.h"
#include "aws/json_client.h"
#include "aws/shared_config.h"
#include "util/result.h"

namespace costwatch::alarms::cloudwatch {

inline constexpr std::string_view kBillingRegion = "us-east-1";

Result<aws::ServiceEndpoint> CloudWatchBillingEndpoint(const aws::Environment& env,
                                                       const aws::SharedConfig& config,
                                                       const aws::Profile* profile);

// Where to publish to a topic: the region of its ARN (a configured endpoint URL still wins).
Result<aws::ServiceEndpoint> SnsTopicEndpoint(const aws::Environment& env,
                                              const aws::SharedConfig& config,
                                              const aws::Profile* profile,
                                              std::string_view topic_arn);

Result<aws::ServiceEndpoint> SnsBillingEndpoint(const aws::Environment& env,
                                                const aws::SharedConfig& config,
                                                const aws::Profile* profile);

}  // namespace costwatch::alarms::cloudwatch
