// What may be shown of a configuration: `config check` prints a summary, the daemon logs one.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace costwatch::config {

inline constexpr std::string_view kRedacted = "<redacted>";

// What `config check`, `run` and `serve` say about a server on a non-loopback address without a
// token: allowed (a trusted network, a proxy in front), but never silently.
inline constexpr std::string_view kServerWithoutTokenWarning =
    "WARNING: not a loopback address and no token: anyone who can reach the port sees the costs";

// A copy that is safe to print: header values, user information in URLs and every value that
// came from the environment are replaced by <redacted>.
Config Redacted(const Config& config);

// A few lines describing the schedule, each source and each sink, redacted.
std::string Summarize(const Config& config);

}  // namespace costwatch::config
