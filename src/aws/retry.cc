#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <mutex>
#include <random>

#include "aws/shared_config.h"

namespace costwatch::aws {
namespace {

// The codes the SDKs' standard mode treats as throttling; LimitExceededException is how
// Cost Explorer says "slow down".
constexpr std::array<std::string_view, 14> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException"};

constexpr std::array<std::string_view, 3> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "InternalError"};

std::optional<std::string> Setting(const Environment& env, const Profile* profile,
                                   std::string_view env_name, std::string_view profile_key) {
  if (auto value = env.get(env_name)) return value;
  if (profile != nullptr) return profile->get(profile_key);
  return std::nullopt;
}

}  // namespace

Result<RetryOptions> ResolveRetryOptions(const Environment& env, const Profile* profile) {
  RetryOptions options;
  if (auto text = Setting(env, profile, "AWS_MAX_ATTEMPTS", "max_attempts")) {
    int attempts = 0;
    const std::string_view digits = *text;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), attempts);
    if (ec != std::errc{} || end != digits.data() + digits.size() || attempts < 1 ||
        attempts > 20) {
      return Fail("max_attempts (AWS_MAX_ATTEMPTS) must be a whole number from 1 to 20, not \"" +
                  *text + "\"");
    }
    options.max_attempts = attempts;
  }
  if (auto mode = Setting(env, profile, "AWS_RETRY_MODE", "retry_mode")) {
    if (*mode == "adaptive") {
      return Fail("retry_mode \"adaptive\" is not supported; use \"standard\"");
    }
    if (*mode != "standard" && *mode != "legacy") {
      return Fail("retry_mode (AWS_RETRY_MODE) must be \"standard\" or \"legacy\", not \"" + *mode +
                  "\"");
    }
  }
  return options;
}

RetryReason ClassifyAwsError(std::string_view error_code, long http_status) {
  if (std::find(kThrottlingCodes.begin(), kThrottlingCodes.end(), error_code) !=
          kThrottlingCodes.end() ||
      http_status == 429) {
    return RetryReason::kThrottling;
  }
  if (std::find(kTransientCodes.begin(), kTransientCodes.end(), error_code) !=
          kTransientCodes.end() ||
      http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return RetryReason::kTransient;
  }
  return RetryReason::kNone;
}

Backoff::Backoff(RetryOptions options, std::function<double()> random01)
    : options_(options), random01_(std::move(random01)) {}

std::chrono::milliseconds Backoff::delay(int retry) const {
  // Full jitter: a uniform draw from [0, min(2^(retry-1) s, max_backoff)).
  const double ceiling_ms = std::min(std::ldexp(1000.0, std::max(retry - 1, 0)),
                                     static_cast<double>(options_.max_backoff.count()));
  return std::chrono::milliseconds(static_cast<long long>(random01_() * ceiling_ms));
}

std::function<double()> SystemRandom() {
  return [] {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

}  // namespace costwatch::aws
