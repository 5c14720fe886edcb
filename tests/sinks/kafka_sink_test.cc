// The Kafka sink against librdkafka's mock cluster: real brokers on loopback, real requests, and
// the records read back by a consumer. All or nothing: kDelivered only when every record is in.
#include "sinks/kafka/kafka_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kafka_test_cluster.h"

namespace costwatch::sinks {
namespace {

using ::testing::HasSubstr;
using testing::MockCluster;
using testing::ReadTopic;

constexpr int kPartitions = 3;

// Cost events of `accounts` accounts, the account as partitionkey.
std::vector<std::string> Events(int count, int accounts = 7) {
  std::vector<std::string> events;
  for (int i = 0; i < count; ++i) {
    const std::string account = "10000000000" + std::to_string(i % accounts);
    std::string event = R"({"specversion":"1.0","id":"event-)";
    event += std::to_string(i);
    event += R"(","source":"cloud.amazon.billing","type":"amazon.billing.daily",)"
             R"("datacontenttype":"application/json","time":"2023-01-27T00:00:00Z",)"
             R"("partitionkey":")";
    event += account;
    event += R"(","data":{"date":"2023-01-27","account":")";
    event += account;
    event += R"(","n":)";
    event += std::to_string(i);
    event += "}}";
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<EventRecord> Records(const std::vector<std::string>& events,
                                 std::vector<std::string>& ids) {
  ids.clear();
  for (size_t i = 0; i < events.size(); ++i) ids.push_back("event-" + std::to_string(i));
  std::vector<EventRecord> records;
  for (size_t i = 0; i < events.size(); ++i) records.push_back({ids[i], events[i]});
  return records;
}

std::string Header(const testing::ConsumedRecord& record, const std::string& name) {
  for (const auto& [key, value] : record.headers) {
    if (key == name) return value;
  }
  return "";
}

class KafkaSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(rd_kafka_mock_topic_create(cluster_.get(), "costs", kPartitions, 3),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  std::unique_ptr<KafkaSink> MakeSink(KafkaSinkOptions options = {}) {
    options.brokers = {cluster_.bootstraps()};
    if (options.topic.empty()) options.topic = "costs";
    if (options.timeout == std::chrono::milliseconds(30000))
      options.timeout = std::chrono::seconds(3);
    auto sink = KafkaSink::Create("k", options);
    EXPECT_TRUE(sink.ok()) << (sink.ok() ? "" : sink.error().message);
    return sink.ok() ? std::move(*sink) : nullptr;
  }

  MockCluster cluster_{3};
};

TEST_F(KafkaSinkTest, ABatchIsDeliveredOnlyWhenEveryRecordIsInKafka) {
  auto sink = MakeSink();
  ASSERT_TRUE(sink);
  const auto events = Events(2000);
  std::vector<std::string> ids;
  const auto records = Records(events, ids);
  const auto result = sink->deliver(records);
  ASSERT_EQ(result.outcome, Outcome::kDelivered) << result.message;

  const auto consumed = ReadTopic(cluster_.bootstraps(), "costs", kPartitions);
  ASSERT_EQ(consumed.size(), events.size());
  std::map<std::string, int32_t> partition_of_key;
  std::map<int32_t, int> last_n_of_partition;
  std::set<std::string> seen;
  for (const auto& record : consumed) {
    const std::string id = Header(record, "ce_id");
    const int n = std::stoi(id.substr(6));
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
    EXPECT_EQ(Header(record, "ce_partitionkey"), record.key.value_or("?"));
    EXPECT_EQ(Header(record, "content-type"), "application/json");
    EXPECT_THAT(record.value, HasSubstr(R"("n":)" + std::to_string(n) + "}"));
    // One key, one partition; within a partition the batch's order.
    auto [at, inserted] = partition_of_key.emplace(*record.key, record.partition);
    EXPECT_EQ(at->second, record.partition) << *record.key;
    auto last = last_n_of_partition.find(record.partition);
    if (last != last_n_of_partition.end()) {
      EXPECT_LT(last->second, n);
    }
    last_n_of_partition[record.partition] = n;
  }
  EXPECT_GT(last_n_of_partition.size(), 1U) << "every key in one partition";
}

TEST_F(KafkaSinkTest, BrokerErrorsAreRetriedInsideOneDeliveryWithoutDuplicates) {
  auto sink = MakeSink();
  ASSERT_TRUE(sink);
  // The next produce requests fail with errors a broker sends while leadership moves or
  // replication lags; the idempotent producer retries them and de-duplicates.
  rd_kafka_mock_push_request_errors(
      cluster_.get(), testing::kProduceApi, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND);
  const auto events = Events(500);
  std::vector<std::string> ids;
  const auto result = sink->deliver(Records(events, ids));
  ASSERT_EQ(result.outcome, Outcome::kDelivered) << result.message;
  const auto consumed = ReadTopic(cluster_.bootstraps(), "costs", kPartitions);
  std::set<std::string> seen;
  for (const auto& record : consumed) seen.insert(Header(record, "ce_id"));
  EXPECT_EQ(seen.size(), events.size());
  EXPECT_EQ(consumed.size(), events.size()) << "duplicates despite the idempotent producer";
}

TEST_F(KafkaSinkTest, ABrokerOutageIsARetryAndNothingIsLost) {
  KafkaSinkOptions options;
  options.timeout = std::chrono::seconds(2);
  auto sink = MakeSink(options);
  ASSERT_TRUE(sink);
  const auto events = Events(300);
  std::vector<std::string> ids;
  const auto records = Records(events, ids);
  ASSERT_EQ(sink->deliver(std::span(records).first(100)).outcome, Outcome::kDelivered);

  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_down(cluster_.get(), broker);
  const auto down = sink->deliver(std::span(records).subspan(100));
  EXPECT_EQ(down.outcome, Outcome::kRetry);
  EXPECT_THAT(down.message, HasSubstr("kafka: 200 events of 200 not acknowledged"));

  // Back up: the producer reconnects with its own backoff, so a delivery or two may still time
  // out, as the delivery engine would see it; it retries the same events.
  for (int broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_up(cluster_.get(), broker);
  DeliveryResult up;
  for (int attempt = 0; attempt < 10; ++attempt) {
    up = sink->deliver(std::span(records).subspan(100));
    if (up.outcome != Outcome::kRetry) break;
  }
  ASSERT_EQ(up.outcome, Outcome::kDelivered) << up.message;

  // Every event is there; one sent twice (its first attempt reached a broker before the
  // outage was noticed) is the very same record.
  const auto consumed = ReadTopic(cluster_.bootstraps(), "costs", kPartitions);
  std::map<std::string, std::string> by_id;
  for (const auto& record : consumed) {
    auto [at, inserted] = by_id.emplace(Header(record, "ce_id"), record.value);
    EXPECT_EQ(at->second, record.value);
  }
  EXPECT_EQ(by_id.size(), events.size());
}

TEST_F(KafkaSinkTest, ARecordTooLargeForTheProducerIsRejected) {
  KafkaSinkOptions options;
  options.properties = {{"message.max.bytes", "2000"}};
  auto sink = MakeSink(options);
  ASSERT_TRUE(sink);
  const std::string big = R"({"specversion":"1.0","id":"big","source":"s","type":"t","data":")" +
                          std::string(5000, 'x') + R"("})";
  const EventRecord record{"big", big};
  const auto result = sink->deliver(std::span(&record, 1));
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("too large"));
  // The sink is still usable.
  const auto events = Events(3);
  std::vector<std::string> ids;
  EXPECT_EQ(sink->deliver(Records(events, ids)).outcome, Outcome::kDelivered);
}

TEST_F(KafkaSinkTest, ATopicTheBrokersRefuseIsRejected) {
  auto sink = MakeSink();
  ASSERT_TRUE(sink);
  // Every broker that leads a partition refuses the first produce request it gets.
  rd_kafka_mock_push_request_errors(
      cluster_.get(), testing::kProduceApi, 3, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  const auto events = Events(50);
  std::vector<std::string> ids;
  const auto result = sink->deliver(Records(events, ids));
  EXPECT_EQ(result.outcome, Outcome::kRejected) << result.message;
  EXPECT_THAT(result.message, HasSubstr("Topic authorization failed (topic costs)"));
}

TEST_F(KafkaSinkTest, AnEventBinaryModeCannotCarryRejectsTheBatch) {
  auto sink = MakeSink();
  ASSERT_TRUE(sink);
  auto events = Events(3);
  events[1] = R"({"specversion":"1.0","id":"event-1","source":"s","type":"t","data_base64":"AA"})";
  std::vector<std::string> ids;
  const auto result = sink->deliver(Records(events, ids));
  EXPECT_EQ(result.outcome, Outcome::kRejected);
  EXPECT_THAT(result.message, HasSubstr("event-1"));
}

// librdkafka's mock speaks neither SASL nor TLS, so these prove the other half: the options
// reach the producer (it tries to authenticate, to shake hands), a failure is a retry that loses
// nothing, its message names the cause, and the password is never in it.
class KafkaSinkSecurityTest : public KafkaSinkTest {
 protected:
  // Delivers 20 events with these librdkafka properties; none may reach the topic.
  DeliveryResult DeliverWith(std::vector<KafkaProperty> properties) {
    KafkaSinkOptions options;
    options.timeout = std::chrono::seconds(2);
    options.properties = std::move(properties);
    auto sink = MakeSink(options);
    EXPECT_TRUE(sink);
    if (!sink) return {};
    const auto events = Events(20);
    std::vector<std::string> ids;
    const auto result = sink->deliver(Records(events, ids));
    EXPECT_EQ(result.outcome, Outcome::kRetry);
    EXPECT_THAT(result.message, HasSubstr("kafka: 20 events of 20 not acknowledged"));
    EXPECT_TRUE(ReadTopic(cluster_.bootstraps(), "costs", kPartitions).empty());
    return result;
  }
};

TEST_F(KafkaSinkSecurityTest, ASaslFailureIsARetryNamingTheCauseButNotThePassword) {
  const auto result = DeliverWith({{"security.protocol", "SASL_PLAINTEXT"},
                                   {"sasl.mechanism", "SCRAM-SHA-512"},
                                   {"sasl.username", "costwatch"},
                                   {"sasl.password", "hunter2"}});
  EXPECT_THAT(result.message, HasSubstr("authentication failed: "));
  EXPECT_THAT(result.message, HasSubstr("SCRAM-SHA-512"));
  EXPECT_THAT(result.message, ::testing::Not(HasSubstr("hunter2")));
}

TEST_F(KafkaSinkSecurityTest, ATlsFailureIsARetryNamingTheCause) {
  const auto result = DeliverWith({{"security.protocol", "SSL"}});
  EXPECT_THAT(result.message, HasSubstr("TLS failed: "));
}

TEST(KafkaSinkCreate, RefusesWhatCannotWork) {
  KafkaSinkOptions options;
  options.topic = "t";
  EXPECT_THAT(KafkaSink::Create("k", options).error().message, HasSubstr("brokers"));
  options.brokers = {"127.0.0.1:1"};
  options.properties = {{"acks", "1"}};
  EXPECT_THAT(KafkaSink::Create("k", options).error().message,
              HasSubstr("librdkafka.acks is set by the sink"));
  options.properties = {{"sasl.password", "hunter2"}, {"linger.ms", "never"}};
  const auto bad = KafkaSink::Create("k", options);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("librdkafka.linger.ms"));
  EXPECT_THAT(bad.error().message, ::testing::Not(HasSubstr("hunter2")));
}

TEST(KafkaSinkClassify, PermanentErrorsRejectTheRestRetry) {
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR_NO_ERROR), Outcome::kDelivered);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE), Outcome::kRejected);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC), Outcome::kRejected);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED), Outcome::kRejected);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT), Outcome::kRetry);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR__TRANSPORT), Outcome::kRetry);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS), Outcome::kRetry);
  EXPECT_EQ(ClassifyKafkaError(RD_KAFKA_RESP_ERR__AUTHENTICATION), Outcome::kRetry);
}

}  // namespace
}  // namespace costwatch::sinks
