#include "sinks/kafka/kafka_sink.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "sinks/kafka/kafka_settings.h"

namespace costwatch::sinks {
namespace {

using Clock = std::chrono::steady_clock;

// Reports still missing this long after message.timeout.ms are purged: librdkafka then reports
// every record at once.
constexpr std::chrono::seconds kReportGrace{10};

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

std::string Plural(size_t count, std::string_view what) {
  return std::to_string(count) + " " + std::string(what) + (count == 1 ? "" : "s");
}

}  // namespace

Outcome ClassifyKafkaError(rd_kafka_resp_err_t error) {
  switch (error) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return Outcome::kDelivered;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
      return Outcome::kRejected;
    default:
      return Outcome::kRetry;
  }
}

void KafkaSink::ProducerDeleter::operator()(rd_kafka_t* producer) const {
  rd_kafka_destroy(producer);
}

void KafkaSink::TopicDeleter::operator()(rd_kafka_topic_t* topic) const {
  rd_kafka_topic_destroy(topic);
}

KafkaSink::KafkaSink(std::string name, KafkaSinkOptions options)
    : name_(std::move(name)),
      options_(std::move(options)),
      encoder_(options_.mode, options_.topic, options_.key_attribute) {
  for (const auto& property : options_.properties) {
    if (IsSecretProperty(property.name)) secrets_.Add(property.value);
  }
}

KafkaSink::~KafkaSink() {
  Close();
}

Result<std::unique_ptr<KafkaSink>> KafkaSink::Create(std::string name, KafkaSinkOptions options) {
  if (options.brokers.empty()) return Fail("brokers: at least one host:port is needed");
  if (auto problem = CheckTopicTemplate(options.topic)) return Fail("topic " + *problem);
  if (options.batch_size == 0) return Fail("batch_size must be at least 1");
  for (const auto& property : options.properties) {
    if (auto key = ManagedProperty(property.name)) {
      return Fail("librdkafka." + property.name + " is set by the sink (see " + *key + ")");
    }
  }
  std::unique_ptr<KafkaSink> sink(new KafkaSink(std::move(name), std::move(options)));
  if (auto opened = sink->Open(); !opened) return opened.error();
  return sink;
}

Result<void> KafkaSink::Open() {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::array<char, 512> error{};
  const auto set = [&](const std::string& key, const std::string& value) -> Result<void> {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error.data(), error.size()) ==
        RD_KAFKA_CONF_OK) {
      return {};
    }
    if (IsSecretProperty(key)) return Fail("librdkafka." + key + ": librdkafka refuses the value");
    return Fail("librdkafka." + key + ": " + std::string(error.data()));
  };
  // The sink's defaults first, so that the passed-through properties may change them (the
  // partitioner, linger.ms, ...); the ones the sink's guarantees rest on come last.
  std::vector<std::pair<std::string, std::string>> settings = {
      {"client.id", "costwatch"},
      // Java's partitioner, so records land where Java producers would put the same key; and
      // records without a key all go to one partition, so their order is kept too.
      {"partitioner", "murmur2"},
      {"queue.buffering.max.messages",
       std::to_string(std::max<size_t>(100000, 2 * options_.batch_size))},
      {"log_level", "4"},
  };
  for (const auto& property : options_.properties) {
    settings.emplace_back(property.name, property.value);
  }
  settings.insert(settings.end(),
                  {{"bootstrap.servers", Join(options_.brokers, ",")},
                   {"enable.idempotence", "true"},
                   {"acks", "all"},
                   {"compression.type", std::string(CompressionName(options_.compression))},
                   {"message.timeout.ms", std::to_string(options_.timeout.count())}});
  for (const auto& [key, value] : settings) {
    if (auto ok = set(key, value); !ok) {
      rd_kafka_conf_destroy(conf);
      return ok;
    }
  }
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_dr_msg_cb(conf, &KafkaSink::OnDelivery);
  rd_kafka_conf_set_error_cb(conf, &KafkaSink::OnError);
  rd_kafka_conf_set_log_cb(conf, &KafkaSink::OnLog);
  // On success rd_kafka_new owns conf; on failure the caller still does.
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
  if (producer == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Fail("cannot create the Kafka producer: " + std::string(error.data()));
  }
  producer_.reset(producer);
  return {};
}

void KafkaSink::Close() {
  last_topic_ = nullptr;
  topics_.clear();
  producer_.reset();
}

rd_kafka_topic_t* KafkaSink::Topic(const std::string& topic) {
  // Most batches go to one topic: the last one is remembered.
  if (last_topic_ != nullptr && topic == last_topic_name_) return last_topic_;
  auto found = topics_.find(topic);
  if (found != topics_.end()) {
    last_topic_name_ = topic;
    last_topic_ = found->second.get();
    return last_topic_;
  }
  rd_kafka_topic_t* handle = rd_kafka_topic_new(producer_.get(), topic.c_str(), nullptr);
  if (handle == nullptr) return nullptr;
  topics_.emplace(topic, handle);
  return handle;
}

rd_kafka_resp_err_t KafkaSink::Produce(const KafkaRecord& record) {
  rd_kafka_topic_t* topic = Topic(record.topic);
  if (topic == nullptr) return rd_kafka_last_error();
  rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
  for (const auto& [name, value] : record.headers) {
    rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                        static_cast<ssize_t>(value.size()));
  }
  // The generation travels as the record's opaque: no pointer that could dangle.
  // NOLINTNEXTLINE(performance-no-int-to-ptr): a number in a pointer, never dereferenced.
  void* const generation = reinterpret_cast<void*>(static_cast<uintptr_t>(batch_.generation));
  void* const value = const_cast<char*>(record.value.data());
  const void* const key = record.key ? record.key->data() : nullptr;
  const size_t key_size = record.key ? record.key->size() : 0;
  // NOLINTBEGIN(cppcoreguidelines-pro-type-vararg): librdkafka's producev is variadic.
  for (;;) {
    const rd_kafka_resp_err_t error = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_RKT(topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_VALUE(value, record.value.size()), RD_KAFKA_V_KEY(key, key_size),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(generation), RD_KAFKA_V_END);
    // NOLINTEND(cppcoreguidelines-pro-type-vararg)
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) return error;  // the record owns the headers now
    if (error != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_headers_destroy(headers);
      return error;
    }
    // The local queue is full: serve delivery reports until there is room.
    rd_kafka_poll(producer_.get(), 10);
  }
}

void KafkaSink::AwaitReports() {
  // message.timeout.ms bounds every record's wait for its report; the grace covers a request
  // still in flight when it expires.
  const auto deadline = Clock::now() + options_.timeout + kReportGrace;
  while (batch_.outstanding > 0 && Clock::now() < deadline) {
    // flush() sends at once, ignoring linger.ms, and serves the delivery reports.
    rd_kafka_flush(producer_.get(), 100);
  }
  if (batch_.outstanding == 0) return;
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const auto purge_deadline = Clock::now() + kReportGrace;
  while (batch_.outstanding > 0 && Clock::now() < purge_deadline) {
    rd_kafka_poll(producer_.get(), 100);
  }
}

DeliveryResult KafkaSink::deliver(std::span<const EventRecord> events) {
  if (!producer_) {
    if (auto opened = Open(); !opened) return {Outcome::kRetry, opened.error().message, {}};
  }
  batch_ = Batch{batch_.generation + 1,      0, 0, RD_KAFKA_RESP_ERR_NO_ERROR,
                 RD_KAFKA_RESP_ERR_NO_ERROR, {}};
  last_client_error_.clear();
  last_client_error_is_cause_ = false;
  KafkaRecord record;
  rd_kafka_resp_err_t produce_error = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string refused;  // an event the encoder refuses
  for (const auto& event : events) {
    if (auto encoded = encoder_.Encode(event, record); !encoded) {
      refused = encoded.error().message;
      break;
    }
    produce_error = Produce(record);
    if (produce_error != RD_KAFKA_RESP_ERR_NO_ERROR) {
      batch_.topic = record.topic;
      break;
    }
    ++batch_.outstanding;
  }
  // Even a batch cut short waits for the reports of what was produced: no report may arrive
  // once this batch is settled.
  AwaitReports();
  return Settle(events.size(), produce_error, refused);
}

DeliveryResult KafkaSink::Settle(size_t total, rd_kafka_resp_err_t produce_error,
                                 const std::string& refused) {
  const rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(producer_.get(), nullptr, 0);
  if (fatal != RD_KAFKA_RESP_ERR_NO_ERROR || produce_error == RD_KAFKA_RESP_ERR__FATAL) {
    // The idempotent producer cannot go on after a fatal error; the next batch gets a new one.
    Close();
    return {Outcome::kRetry,
            "kafka: the producer failed (" + std::string(rd_kafka_err2str(fatal)) +
                "); a new one takes over",
            {}};
  }
  if (!refused.empty()) return {Outcome::kRejected, refused, {}};
  if (batch_.acknowledged == total) return {Outcome::kDelivered, {}, {}};

  const rd_kafka_resp_err_t error = produce_error != RD_KAFKA_RESP_ERR_NO_ERROR ? produce_error
                                    : batch_.reject_error != RD_KAFKA_RESP_ERR_NO_ERROR
                                        ? batch_.reject_error
                                        : batch_.retry_error;
  std::string message = "kafka: " + Plural(total - batch_.acknowledged, "event") + " of " +
                        std::to_string(total) + " not acknowledged";
  if (batch_.outstanding > 0) {
    message += " (no delivery report)";
  } else if (error != RD_KAFKA_RESP_ERR_NO_ERROR) {
    message += ": " + std::string(rd_kafka_err2str(error));
    if (!batch_.topic.empty()) message += " (topic " + batch_.topic + ")";
  }
  if (!last_client_error_.empty()) message += "; " + last_client_error_;
  return {ClassifyKafkaError(error) == Outcome::kRejected ? Outcome::kRejected : Outcome::kRetry,
          message,
          {}};
}

void KafkaSink::OnDelivery(rd_kafka_t* /*producer*/, const rd_kafka_message_t* message,
                           void* opaque) {
  auto* sink = static_cast<KafkaSink*>(opaque);
  Batch& batch = sink->batch_;
  if (reinterpret_cast<uintptr_t>(message->_private) != batch.generation) return;
  --batch.outstanding;
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++batch.acknowledged;
    return;
  }
  const bool reject = ClassifyKafkaError(message->err) == Outcome::kRejected;
  rd_kafka_resp_err_t& slot = reject ? batch.reject_error : batch.retry_error;
  if (slot == RD_KAFKA_RESP_ERR_NO_ERROR) slot = message->err;
  if (batch.topic.empty()) batch.topic = rd_kafka_topic_name(message->rkt);
}

void KafkaSink::OnError(rd_kafka_t* /*producer*/, int error, const char* reason, void* opaque) {
  auto* sink = static_cast<KafkaSink*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(error);
  const std::string_view text = reason;
  // Authentication and TLS failures name the configuration to look at, and a bare
  // "Disconnected" after one must not hide it. A TLS handshake the broker breaks off is a
  // transport error, told apart only by its text ("SSL handshake failed: ...", or "Disconnected
  // (after 3ms in state SSL_HANDSHAKE)").
  const bool authentication = code == RD_KAFKA_RESP_ERR__AUTHENTICATION;
  const bool tls = code == RD_KAFKA_RESP_ERR__SSL ||
                   text.find("SSL handshake failed") != std::string_view::npos ||
                   text.find("state SSL_HANDSHAKE") != std::string_view::npos;
  if (sink->last_client_error_is_cause_ && !authentication && !tls) return;
  const std::string scrubbed = sink->secrets_.Scrub(text);
  sink->last_client_error_ = authentication ? "authentication failed: " + scrubbed
                             : tls          ? "TLS failed: " + scrubbed
                                            : scrubbed;
  sink->last_client_error_is_cause_ = authentication || tls;
}

void KafkaSink::OnLog(const rd_kafka_t* producer, int level, const char* facility,
                      const char* line) {
  const auto* sink = static_cast<const KafkaSink*>(rd_kafka_opaque(producer));
  const std::string text = sink != nullptr ? sink->secrets_.Scrub(line) : std::string(line);
  (void)std::fprintf(stderr, "costwatch: sink %s: librdkafka %d %s: %s\n",
                     sink != nullptr ? sink->name_.c_str() : "?", level, facility, text.c_str());
}

}  // namespace costwatch::sinks
