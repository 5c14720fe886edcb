// What the config file says about each kind of sink. Each sink type owns its options; the
// config module fills them and refuses unknown keys (docs/config.md lists them all).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "http/http.h"

namespace costwatch::sinks {

struct StdoutSinkOptions {};

struct FileSinkOptions {
  std::string path;                     // JSON Lines; rotated to path.1, path.2, ...
  std::uint64_t max_bytes = 100 << 20;  // rotate when the file would grow past this
  int max_files = 5;                    // rotated files kept besides the live one
  bool fsync = true;                    // fsync after every delivered batch
  // The permissions of the files the sink creates, whatever the umask: they hold the costs.
  unsigned file_mode = 0600;
};

enum class HttpMode { kStructured, kBinary, kBatch };

struct HttpSinkOptions {
  std::string url;
  HttpMode mode = HttpMode::kStructured;
  size_t batch_size = 100;            // events per request in batch mode
  std::vector<http::Header> headers;  // e.g. Authorization; values may be secrets
  std::chrono::milliseconds timeout{10000};
  std::string ca_file;      // extra CA bundle; empty: the system's
  std::string client_cert;  // client certificate (PEM) for mutual TLS
  std::string client_key;
  bool verify_tls = true;  // false only for tests; never the default
  // The config refuses credential headers over http:// to another host unless this is set.
  bool allow_plaintext_credentials = false;
};

enum class KafkaMode { kBinary, kStructured };
enum class KafkaCompression { kNone, kGzip, kSnappy, kLz4, kZstd };

struct KafkaProperty {
  std::string name;  // a librdkafka configuration property, e.g. sasl.username
  std::string value;
};

struct KafkaSinkOptions {
  std::vector<std::string> brokers;  // host:port, the bootstrap servers
  // The topic of each event; {source} and {type} are replaced by the event's attributes
  // (characters a topic name cannot hold become '_'), e.g. "costs.{type}".
  std::string topic;
  KafkaMode mode = KafkaMode::kBinary;
  // The attribute whose value becomes the record key; events without it get no key. Empty: no
  // key at all.
  std::string key_attribute = "partitionkey";
  KafkaCompression compression = KafkaCompression::kLz4;
  size_t batch_size = 10000;  // events per deliver(): produced together, acknowledged together
  std::chrono::milliseconds timeout{30000};  // message.timeout.ms: the broker's acks by then
  std::vector<KafkaProperty> properties;     // passed through to librdkafka; values may be secrets
};

using SinkOptions =
    std::variant<StdoutSinkOptions, FileSinkOptions, HttpSinkOptions, KafkaSinkOptions>;

struct SinkConfig {
  std::string name;  // unique; the outbox keeps a queue per sink name
  SinkOptions options;
};

}  // namespace costwatch::sinks
