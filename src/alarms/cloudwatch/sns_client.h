// The SNS operations behind a billing alarm's e-mail notifications, and Publish for anything
// else that notifies through a topic. Query protocol, API 2010-03-31, signing name "sns".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "aws/query_client.h"
#include "util/result.h"

namespace costwatch::alarms::cloudwatch {

// What ListSubscriptionsByTopic says in SubscriptionArn until the recipient clicks the link in
// the confirmation e-mail.
inline constexpr std::string_view kPendingConfirmation = "PendingConfirmation";

struct Subscription {
  std::string arn;  // kPendingConfirmation while unconfirmed
  std::string protocol;
  std::string endpoint;
  [[nodiscard]] bool pending() const { return arn == kPendingConfirmation; }
};

class SnsClient {
 public:
  SnsClient(http::Client& http, aws::CredentialsProvider& credentials,
            aws::ServiceEndpoint endpoint, aws::NetworkContext network);

  // The topic's ARN; SNS returns the existing topic's when one has this name.
  Result<std::string> CreateTopic(const std::string& name);
  // The ARN of the topic with this name in the endpoint's region, or std::nullopt. Reads every
  // page of ListTopics.
  Result<std::optional<std::string>> FindTopic(const std::string& name);
  // Subscribes endpoint over protocol ("email"); AWS e-mails a confirmation link.
  Result<void> Subscribe(const std::string& topic_arn, const std::string& protocol,
                         const std::string& endpoint);
  // Every subscription, following NextToken; std::nullopt when the topic does not exist.
  Result<std::optional<std::vector<Subscription>>> ListSubscriptionsByTopic(
      const std::string& topic_arn);
  Result<void> Unsubscribe(const std::string& subscription_arn);
  // Deleting a topic that does not exist succeeds, as in SNS.
  Result<void> DeleteTopic(const std::string& topic_arn);
  // Publishes message (with subject, "" for none: e-mail subscribers see it as the subject
  // line) and returns the MessageId.
  Result<std::string> Publish(const std::string& topic_arn, const std::string& subject,
                              const std::string& message);

  [[nodiscard]] const aws::CallStats& stats() const { return query_.stats(); }

 private:
  aws::QueryClient query_;
  aws::CredentialsProvider& credentials_;
};

// Reads the Subscriptions of a ListSubscriptionsByTopic reply; *next_token is set to NextToken
// ("" when absent).
Result<std::vector<Subscription>> ParseSubscriptions(std::string_view xml, std::string* next_token);

// The topic's name: the part of its ARN after the last ':'.
std::string_view TopicNameOf(std::string_view topic_arn);

}  // namespace costwatch::alarms::cloudwatch
