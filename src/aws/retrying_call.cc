#include "aws/retrying_call.h"

#include "http/url.h"

namespace costwatch::aws {

Result<std::string> SendWithRetries(http::Client& http, const RetryingCall& call,
                                    const Backoff& backoff,
                                    const std::function<void(std::chrono::milliseconds)>& sleep,
                                    CallStats* stats, ServiceError* refused) {
  const int max_attempts = std::max(1, backoff.options().max_attempts);
  std::string last_failure;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    if (attempt > 1) {
      if (stats != nullptr) ++stats->retries;
      if (call.counters != nullptr) call.counters->count_retry();
      if (sleep) sleep(backoff.delay(attempt - 1));
    }
    auto request = call.build();
    if (!request) return WithContext(call.what, request.error());

    if (stats != nullptr) ++stats->requests_sent;
    auto response = http.send(*request);
    if (!response) {
      if (call.counters != nullptr) call.counters->count(RequestOutcome::kNetworkError);
      last_failure = "cannot reach " + http::WithoutUserInfo(call.endpoint_url) + ": " +
                     response.error().message;
      continue;
    }
    if (response->status == 200) {
      if (call.counters != nullptr) call.counters->count(RequestOutcome::kOk);
      return std::move(response->body);
    }

    const ServiceError error = call.parse_error(*response);
    last_failure = error.code + (error.message.empty() ? "" : ": " + error.message);
    const RetryReason reason = ClassifyAwsError(error.code, response->status);
    if (call.counters != nullptr) {
      call.counters->count(reason == RetryReason::kThrottling ? RequestOutcome::kThrottled
                           : response->status >= 500          ? RequestOutcome::kServerError
                                                              : RequestOutcome::kClientError);
    }
    const bool retryable =
        reason != RetryReason::kNone || (call.also_retryable && call.also_retryable(error.code));
    if (!retryable) {
      if (refused != nullptr) *refused = error;
      std::string message = call.what;
      message += ": ";
      message += last_failure;
      return Fail(std::move(message));
    }
  }
  return Fail(call.what + " after " + std::to_string(max_attempts) +
              (max_attempts == 1 ? " attempt: " : " attempts: ") + last_failure);
}

}  // namespace costwatch::aws
