#include "alarms/cloudwatch/billing_endpoints.h"

#include <algorithm>

#include "aws/sts_client.h"
#include "http/url.h"
#include "util/text.h"

namespace costwatch::alarms::cloudwatch {
namespace {

Result<aws::ServiceEndpoint> BillingEndpoint(const aws::Environment& env,
                                             const aws::SharedConfig& config,
                                             const aws::Profile* profile, std::string_view env_id,
                                             std::string_view config_key,
                                             std::string_view signing_name) {
  const std::string region(kBillingRegion);
  if (auto url = aws::ConfiguredEndpointUrl(env, config, profile, env_id, config_key)) {
    if (auto parsed = http::ParseUrl(*url); !parsed) {
      return WithContext(std::string(config_key) + " endpoint URL", parsed.error());
    }
    return aws::ServiceEndpoint{*url, region, std::string(signing_name)};
  }
  return aws::ServiceEndpoint{
      "https://" + std::string(signing_name) + "." + region + ".amazonaws.com/", region,
      std::string(signing_name)};
}

// A partition ("aws", "aws-cn") or region ("eu-west-1") name: lower-case letters, digits and
// inner dashes. Both become part of the endpoint's host name, so nothing else may pass.
bool IsArnName(std::string_view text) {
  if (text.empty() || text.front() == '-' || text.back() == '-') return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

Result<aws::ServiceEndpoint> CloudWatchBillingEndpoint(const aws::Environment& env,
                                                       const aws::SharedConfig& config,
                                                       const aws::Profile* profile) {
  return BillingEndpoint(env, config, profile, "CLOUDWATCH", "cloudwatch", "monitoring");
}

Result<aws::ServiceEndpoint> SnsTopicEndpoint(const aws::Environment& env,
                                              const aws::SharedConfig& config,
                                              const aws::Profile* profile,
                                              std::string_view topic_arn) {
  // arn:PARTITION:sns:REGION:ACCOUNT:NAME; a topic is published to in its own region.
  const auto fields = Split(topic_arn, ':');
  if (fields.size() != 6 || fields[0] != "arn" || !IsArnName(fields[1]) || fields[2] != "sns" ||
      !IsArnName(fields[3]) || fields[4].empty() || fields[5].empty()) {
    return Fail("'" + std::string(topic_arn) +
                "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)");
  }
  const std::string region(fields[3]);
  if (auto url = aws::ConfiguredEndpointUrl(env, config, profile, "SNS", "sns")) {
    if (auto parsed = http::ParseUrl(*url); !parsed) {
      return WithContext("sns endpoint URL", parsed.error());
    }
    return aws::ServiceEndpoint{*url, region, "sns"};
  }
  const std::string domain = fields[1] == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return aws::ServiceEndpoint{"https://sns." + region + "." + domain + "/", region, "sns"};
}

Result<aws::ServiceEndpoint> SnsBillingEndpoint(const aws::Environment& env,
                                                const aws::SharedConfig& config,
                                                const aws::Profile* profile) {
  return BillingEndpoint(env, config, profile, "SNS", "sns", "sns");
}

}  // namespace costwatch::alarms::cloudwatch
