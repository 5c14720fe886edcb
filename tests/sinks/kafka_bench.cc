// Benchmark-only: throughput of the Kafka sink to librdkafka's mock cluster (3 brokers on
// loopback: --brokers of a kafka_mock_cluster process, else in this process), through the sink's
// deliver() exactly as the delivery engine calls it: each batch produced and acknowledged
// (acks=all, idempotent) before the next. Reads JSON lines of events on stdin and delivers them
// round-robin until --events were acknowledged. Prints one line: events, seconds, events/s. See
// bench/kafka_bench.sh. Not installed.
//
//   kafka_bench [--brokers HOST:PORT,...] [--events N] [--batch-size N] [--mode binary|structured]
//               [--compression none|gzip|snappy|lz4|zstd] [--partitions N] [-X name=value]...
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "kafka_test_cluster.h"
#include "sinks/kafka/kafka_sink.h"
#include "util/memory.h"

namespace sinks = costwatch::sinks;

namespace {

int Usage(const std::string& problem) {
  std::cerr << "kafka_bench: " << problem << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  costwatch::util::TuneMalloc();  // as costwatch's main() does
  long events_wanted = 1000000;
  int partitions = 6;
  sinks::KafkaSinkOptions options;
  options.topic = "costs";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--brokers") {
      options.brokers = {value};
    } else if (flag == "--events") {
      events_wanted = std::stol(value);
    } else if (flag == "--batch-size") {
      options.batch_size = std::stoul(value);
    } else if (flag == "--partitions") {
      partitions = std::stoi(value);
    } else if (flag == "--mode") {
      options.mode =
          value == "structured" ? sinks::KafkaMode::kStructured : sinks::KafkaMode::kBinary;
    } else if (flag == "--compression") {
      const std::vector<std::string> names = {"none", "gzip", "snappy", "lz4", "zstd"};
      size_t n = 0;
      while (n < names.size() && names[n] != value) ++n;
      if (n == names.size()) return Usage("unknown compression " + value);
      options.compression = static_cast<sinks::KafkaCompression>(n);
    } else if (flag == "-X") {
      const size_t eq = value.find('=');
      if (eq == std::string::npos) return Usage("-X needs name=value");
      options.properties.push_back({value.substr(0, eq), value.substr(eq + 1)});
    } else {
      return Usage("unknown flag " + flag);
    }
  }

  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) return Usage("no events on stdin");
  std::vector<std::string> ids;
  for (size_t i = 0; i < lines.size(); ++i) ids.push_back(std::to_string(i));

  // Without --brokers the brokers share this process, and its CPU time, with the sink.
  std::unique_ptr<sinks::testing::MockCluster> cluster;
  if (options.brokers.empty()) {
    cluster = std::make_unique<sinks::testing::MockCluster>(3);
    rd_kafka_mock_topic_create(cluster->get(), "costs", partitions, 3);
    options.brokers = {cluster->bootstraps()};
  }
  auto sink = sinks::KafkaSink::Create("bench", options);
  if (!sink) return Usage(sink.error().message);

  // One warm-up batch: connections, metadata and the producer id are not part of the figure.
  std::vector<sinks::EventRecord> batch;
  size_t next = 0;
  const auto fill = [&](size_t count) {
    batch.clear();
    for (size_t i = 0; i < count; ++i, next = (next + 1) % lines.size()) {
      batch.push_back({ids[next], lines[next]});
    }
  };
  fill(options.batch_size);
  if (auto warm = (*sink)->deliver(batch); warm.outcome != sinks::Outcome::kDelivered) {
    return Usage("warm-up: " + warm.message);
  }

  long delivered = 0;
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  while (delivered < events_wanted) {
    fill(std::min<size_t>(options.batch_size, static_cast<size_t>(events_wanted - delivered)));
    const auto result = (*sink)->deliver(batch);
    if (result.outcome != sinks::Outcome::kDelivered) return Usage(result.message);
    delivered += static_cast<long>(batch.size());
    for (const auto& record : batch) bytes += record.json.size();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld events (%.1f MB of events) in %.3f s: %.0f events/s\n", delivered,
              static_cast<double>(bytes) / 1e6, seconds, static_cast<double>(delivered) / seconds);
  return 0;
}
