#include "costexplorer/endpoint.h"

#include "http/url.h"

namespace costwatch::ce {

Result<aws::ServiceEndpoint> ResolveEndpoint(const aws::Environment& env,
                                             const EndpointSettings& settings) {
  const bool china = settings.region && settings.region->starts_with("cn-");
  aws::ServiceEndpoint endpoint{
      china ? "https://ce.cn-northwest-1.amazonaws.com.cn" : "https://ce.us-east-1.amazonaws.com",
      china ? "cn-northwest-1" : "us-east-1", "ce"};

  std::optional<std::string> configured;
  std::string origin;
  const bool ignore_configured =
      env.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").value_or("") == "true";
  if (settings.endpoint_url) {
    configured = settings.endpoint_url;
    origin = "--endpoint-url";
  } else if (!ignore_configured) {
    if ((configured = env.get("AWS_ENDPOINT_URL_COST_EXPLORER"))) {
      origin = "AWS_ENDPOINT_URL_COST_EXPLORER";
    } else if ((configured = env.get("AWS_ENDPOINT_URL"))) {
      origin = "AWS_ENDPOINT_URL";
    } else if ((configured = settings.profile_endpoint_url)) {
      origin = "endpoint_url in the AWS profile";
    }
  }
  if (configured) {
    auto url = http::ParseUrl(*configured);
    if (!url) return WithContext(origin, url.error());
    endpoint.url = *configured;
  }
  return endpoint;
}

}  // namespace costwatch::ce
