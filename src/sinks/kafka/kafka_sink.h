// Delivers events to Kafka in the CloudEvents Kafka binding, on librdkafka's idempotent producer
// (acks=all). One deliver() produces the whole batch and waits for every delivery report: the
// batch counts as delivered only when the brokers acknowledged each of its records, so an event
// leaves the outbox only once it is in Kafka. Retries, backoff and dead letters stay with the
// delivery engine; librdkafka's own retries happen inside one deliver().
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "sinks/kafka/kafka_record.h"
#include "sinks/sink.h"
#include "sinks/sink_options.h"
#include "util/result.h"
#include "util/secret_scrubber.h"

namespace costwatch::sinks {

// What a delivery report's or produce call's error means for the events: kRejected when
// sending the record again cannot succeed (too large, invalid, topic unknown or not allowed),
// else kRetry.
Outcome ClassifyKafkaError(rd_kafka_resp_err_t error);

class KafkaSink final : public Sink {
 public:
  // Checks the options and creates the producer (librdkafka connects in the background; nothing
  // is sent). Errors name the option, never a secret value.
  static Result<std::unique_ptr<KafkaSink>> Create(std::string name, KafkaSinkOptions options);
  ~KafkaSink() override;
  KafkaSink(const KafkaSink&) = delete;
  KafkaSink& operator=(const KafkaSink&) = delete;

  [[nodiscard]] std::string_view name() const override { return name_; }
  [[nodiscard]] size_t max_batch() const override { return options_.batch_size; }
  DeliveryResult deliver(std::span<const EventRecord> events) override;

 private:
  // The delivery reports of the batch in flight. Each record carries the batch's generation,
  // so a report that arrives after its deliver() returned is recognised and ignored.
  struct Batch {
    std::uint64_t generation = 0;
    size_t outstanding = 0;
    size_t acknowledged = 0;
    rd_kafka_resp_err_t retry_error = RD_KAFKA_RESP_ERR_NO_ERROR;
    rd_kafka_resp_err_t reject_error = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string topic;  // of the first failed record
  };
  struct ProducerDeleter {
    void operator()(rd_kafka_t* producer) const;
  };
  struct TopicDeleter {
    void operator()(rd_kafka_topic_t* topic) const;
  };

  KafkaSink(std::string name, KafkaSinkOptions options);
  Result<void> Open();
  void Close();
  rd_kafka_topic_t* Topic(const std::string& topic);
  // Produces one record; the error of the produce call itself, queue-full waits included.
  rd_kafka_resp_err_t Produce(const KafkaRecord& record);
  // Serves delivery reports until each record of the batch has one.
  void AwaitReports();
  // The batch's result once every report is in (or purged).
  DeliveryResult Settle(size_t total, rd_kafka_resp_err_t produce_error,
                        const std::string& refused);

  static void OnDelivery(rd_kafka_t* producer, const rd_kafka_message_t* message, void* opaque);
  static void OnError(rd_kafka_t* producer, int error, const char* reason, void* opaque);
  static void OnLog(const rd_kafka_t* producer, int level, const char* facility, const char* line);

  std::string name_;
  KafkaSinkOptions options_;
  KafkaRecordEncoder encoder_;
  SecretScrubber secrets_;  // the secret properties (sasl.password, ...), kept out of log lines
  Batch batch_;
  std::string last_client_error_;            // e.g. "1/1 brokers are down", for the retry message
  bool last_client_error_is_cause_ = false;  // an authentication or TLS failure
  std::unique_ptr<rd_kafka_t, ProducerDeleter> producer_;
  std::unordered_map<std::string, std::unique_ptr<rd_kafka_topic_t, TopicDeleter>> topics_;
  std::string last_topic_name_;
  rd_kafka_topic_t* last_topic_ = nullptr;
};

}  // namespace costwatch::sinks
