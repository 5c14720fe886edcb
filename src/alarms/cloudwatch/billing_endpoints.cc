#include "alarms/cloudwatch/billing_endpoints.h"

#include "aws/sts_client.h"
#include "http/url.h"

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

}  // namespace

Result<aws::ServiceEndpoint> CloudWatchBillingEndpoint(const aws::Environment& env,
                                                       const aws::SharedConfig& config,
                                                       const aws::Profile* profile) {
  return BillingEndpoint(env, config, profile, "CLOUDWATCH", "cloudwatch", "monitoring");
}

Result<aws::ServiceEndpoint> SnsBillingEndpoint(const aws::Environment& env,
                                                const aws::SharedConfig& config,
                                                const aws::Profile* profile) {
  return BillingEndpoint(env, config, profile, "SNS", "sns", "sns");
}

}  // namespace costwatch::alarms::cloudwatch
