// When to try an AWS request again, and how long to wait first: the SDKs' "standard" retry
// mode. Throttling, 5xx and transport failures are retried with capped exponential backoff and
// full jitter, up to a bounded number of attempts; everything else fails at once.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "aws/environment.h"
#include "util/result.h"

namespace costwatch::aws {

struct Profile;

struct RetryOptions {
  int max_attempts = 3;  // the first try included, as AWS_MAX_ATTEMPTS counts it
  std::chrono::milliseconds max_backoff{20000};
};

// AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, else the profile's max_attempts / retry_mode. Modes
// "standard" and "legacy" are accepted (legacy is treated as standard); "adaptive" is refused
// because its client-side rate limiter is not implemented.
Result<RetryOptions> ResolveRetryOptions(const Environment& env, const Profile* profile);

enum class RetryReason { kNone, kThrottling, kTransient };

// Classifies an AWS error code (or empty) with its HTTP status.
RetryReason ClassifyAwsError(std::string_view error_code, long http_status);

class Backoff {
 public:
  // random01 returns a uniform value in [0, 1); injected so tests are deterministic.
  Backoff(RetryOptions options, std::function<double()> random01);
  // The delay before retry number `retry` (1 for the first retry).
  [[nodiscard]] std::chrono::milliseconds delay(int retry) const;
  [[nodiscard]] const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  std::function<double()> random01_;
};

// A process-wide uniform random source for jitter.
std::function<double()> SystemRandom();

}  // namespace costwatch::aws
