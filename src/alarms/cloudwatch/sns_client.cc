#include "alarms/cloudwatch/sns_client.h"

#include "aws/xml_text.h"

namespace costwatch::alarms::cloudwatch {
namespace {

constexpr std::string_view kSnsVersion = "2010-03-31";

std::string Text(std::string_view element, std::string_view name) {
  return aws::XmlChildText(element, {name}).value_or("");
}

}  // namespace

std::string_view TopicNameOf(std::string_view topic_arn) {
  const size_t colon = topic_arn.rfind(':');
  return colon == std::string_view::npos ? topic_arn : topic_arn.substr(colon + 1);
}

Result<std::vector<Subscription>> ParseSubscriptions(std::string_view xml,
                                                     std::string* next_token) {
  auto result =
      aws::XmlChild(xml, {"ListSubscriptionsByTopicResponse", "ListSubscriptionsByTopicResult"});
  if (!result) return Fail("ListSubscriptionsByTopic: the reply has no result element");
  std::vector<Subscription> subscriptions;
  if (auto list = aws::XmlChild(*result, {"Subscriptions"})) {
    for (std::string_view member : aws::XmlChildren(*list, "member")) {
      subscriptions.push_back(Subscription{Text(member, "SubscriptionArn"),
                                           Text(member, "Protocol"), Text(member, "Endpoint")});
    }
  }
  *next_token = Text(*result, "NextToken");
  return subscriptions;
}

SnsClient::SnsClient(http::Client& http, aws::CredentialsProvider& credentials,
                     aws::ServiceEndpoint endpoint, aws::NetworkContext network)
    : query_(http, std::move(endpoint), std::string(kSnsVersion), std::move(network)),
      credentials_(credentials) {}

Result<std::string> SnsClient::CreateTopic(const std::string& name) {
  aws::QueryParams params;
  params.add("Name", name);
  auto reply = query_.Call("CreateTopic", params, credentials_);
  if (!reply) return reply.error();
  auto arn = aws::XmlChildText(*reply, {"CreateTopicResponse", "CreateTopicResult", "TopicArn"});
  if (!arn || arn->empty()) return Fail("CreateTopic: the reply has no TopicArn");
  return *arn;
}

Result<std::optional<std::string>> SnsClient::FindTopic(const std::string& name) {
  std::string next_token;
  do {
    aws::QueryParams params;
    if (!next_token.empty()) params.add("NextToken", next_token);
    auto reply = query_.Call("ListTopics", params, credentials_);
    if (!reply) return reply.error();
    auto result = aws::XmlChild(*reply, {"ListTopicsResponse", "ListTopicsResult"});
    if (!result) return Fail("ListTopics: the reply has no ListTopicsResult");
    if (auto topics = aws::XmlChild(*result, {"Topics"})) {
      for (std::string_view member : aws::XmlChildren(*topics, "member")) {
        std::string arn = Text(member, "TopicArn");
        if (TopicNameOf(arn) == name) return std::optional<std::string>(std::move(arn));
      }
    }
    next_token = Text(*result, "NextToken");
  } while (!next_token.empty());
  return std::optional<std::string>();
}

Result<void> SnsClient::Subscribe(const std::string& topic_arn, const std::string& protocol,
                                  const std::string& endpoint) {
  aws::QueryParams params;
  params.add("TopicArn", topic_arn)
      .add("Protocol", protocol)
      .add("Endpoint", endpoint)
      .add("ReturnSubscriptionArn", "true");
  auto reply = query_.Call("Subscribe", params, credentials_);
  if (!reply) return reply.error();
  return {};
}

Result<std::optional<std::vector<Subscription>>> SnsClient::ListSubscriptionsByTopic(
    const std::string& topic_arn) {
  std::vector<Subscription> all;
  std::string next_token;
  do {
    aws::QueryParams params;
    params.add("TopicArn", topic_arn);
    if (!next_token.empty()) params.add("NextToken", next_token);
    auto reply = query_.Call("ListSubscriptionsByTopic", params, credentials_);
    if (!reply) {
      if (query_.last_error_code() == "NotFound") {
        return std::optional<std::vector<Subscription>>();
      }
      return reply.error();
    }
    auto page = ParseSubscriptions(*reply, &next_token);
    if (!page) return page.error();
    for (Subscription& subscription : *page) all.push_back(std::move(subscription));
  } while (!next_token.empty());
  return std::optional<std::vector<Subscription>>(std::move(all));
}

Result<void> SnsClient::Unsubscribe(const std::string& subscription_arn) {
  aws::QueryParams params;
  params.add("SubscriptionArn", subscription_arn);
  auto reply = query_.Call("Unsubscribe", params, credentials_);
  if (!reply && query_.last_error_code() != "NotFound") return reply.error();
  return {};
}

Result<void> SnsClient::DeleteTopic(const std::string& topic_arn) {
  aws::QueryParams params;
  params.add("TopicArn", topic_arn);
  auto reply = query_.Call("DeleteTopic", params, credentials_);
  if (!reply && query_.last_error_code() != "NotFound") return reply.error();
  return {};
}

Result<std::string> SnsClient::Publish(const std::string& topic_arn, const std::string& subject,
                                       const std::string& message) {
  aws::QueryParams params;
  params.add("TopicArn", topic_arn);
  if (!subject.empty()) params.add("Subject", subject);
  params.add("Message", message);
  auto reply = query_.Call("Publish", params, credentials_);
  if (!reply) return reply.error();
  auto id = aws::XmlChildText(*reply, {"PublishResponse", "PublishResult", "MessageId"});
  if (!id || id->empty()) return Fail("Publish: the reply has no MessageId");
  return *id;
}

}  // namespace costwatch::alarms::cloudwatch
