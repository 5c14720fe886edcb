// Where Cost Explorer is: one global endpoint per partition, or the URL the user configured.
#pragma once

#include <optional>
#include <string>

#include "aws/environment.h"
#include "aws/json_client.h"
#include "util/result.h"

namespace costwatch::ce {

struct EndpointSettings {
  std::optional<std::string> endpoint_url;          // --endpoint-url
  std::optional<std::string> profile_endpoint_url;  // endpoint_url in the active profile
  std::optional<std::string> region;                // the configured region, if any
};

// The SDKs' order: --endpoint-url, AWS_ENDPOINT_URL_COST_EXPLORER, AWS_ENDPOINT_URL, the
// profile's endpoint_url (the last three skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
// true), else the partition's endpoint: China regions use ce.cn-northwest-1.amazonaws.com.cn,
// everything else ce.us-east-1.amazonaws.com. Signing always uses the partition's region.
Result<aws::ServiceEndpoint> ResolveEndpoint(const aws::Environment& env,
                                             const EndpointSettings& settings);

}  // namespace costwatch::ce
