// Test-only: librdkafka's mock Kafka cluster in a process of its own, so that costwatch and kcat
// can talk to it over loopback TCP. Prints the bootstrap servers as its first line, then reads
// one command per line from stdin and answers each with "ok" or "error: ...":
//
//   topic NAME PARTITIONS        create a topic (replication factor: every broker)
//   errors API COUNT CODE...     the next COUNT requests of Kafka API key API fail with CODEs
//   down BROKER | up BROKER      disconnect a broker and refuse connections / accept again
//   rtt BROKER MS                delay the broker's answers by MS milliseconds
//
// Exits on end of input. Usage: kafka_mock_cluster [BROKERS]   (default 3). Not installed.
#include <array>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "kafka_test_cluster.h"

namespace {

std::string Run(rd_kafka_mock_cluster_t* cluster, int brokers, const std::string& line) {
  std::istringstream in(line);
  std::string command;
  in >> command;
  if (command == "topic") {
    std::string name;
    int partitions = 0;
    if (!(in >> name >> partitions)) return "error: topic NAME PARTITIONS";
    const auto error = rd_kafka_mock_topic_create(cluster, name.c_str(), partitions, brokers);
    return error == RD_KAFKA_RESP_ERR_NO_ERROR ? "ok"
                                               : "error: " + std::string(rd_kafka_err2str(error));
  }
  if (command == "errors") {
    int api = 0;
    size_t count = 0;
    if (!(in >> api >> count)) return "error: errors API COUNT CODE...";
    std::vector<rd_kafka_resp_err_t> codes;
    int code = 0;
    while (in >> code) codes.push_back(static_cast<rd_kafka_resp_err_t>(code));
    if (codes.size() != count) return "error: COUNT codes expected";
    rd_kafka_mock_push_request_errors_array(cluster, static_cast<int16_t>(api), count,
                                            codes.data());
    return "ok";
  }
  if (command == "down" || command == "up") {
    int broker = 0;
    if (!(in >> broker)) return "error: " + command + " BROKER";
    const auto error = command == "down" ? rd_kafka_mock_broker_set_down(cluster, broker)
                                         : rd_kafka_mock_broker_set_up(cluster, broker);
    return error == RD_KAFKA_RESP_ERR_NO_ERROR ? "ok"
                                               : "error: " + std::string(rd_kafka_err2str(error));
  }
  if (command == "rtt") {
    int broker = 0;
    int milliseconds = 0;
    if (!(in >> broker >> milliseconds)) return "error: rtt BROKER MS";
    const auto error = rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds);
    return error == RD_KAFKA_RESP_ERR_NO_ERROR ? "ok"
                                               : "error: " + std::string(rd_kafka_err2str(error));
  }
  return "error: unknown command '" + command + "'";
}

}  // namespace

int main(int argc, char** argv) {
  const int brokers = argc > 1 ? std::atoi(argv[1]) : 3;
  std::array<char, 256> error{};
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", error.data(), error.size());
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
  if (handle == nullptr) {
    std::cerr << "kafka_mock_cluster: " << error.data() << "\n";
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
  if (cluster == nullptr) {
    std::cerr << "kafka_mock_cluster: cannot start the mock cluster\n";
    return 1;
  }
  costwatch::sinks::testing::DisableNagleOnListeners();
  std::cout << rd_kafka_mock_cluster_bootstraps(cluster) << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::cout << Run(cluster, brokers, line) << std::endl;
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
