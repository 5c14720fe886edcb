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
};

using SinkOptions = std::variant<StdoutSinkOptions, FileSinkOptions, HttpSinkOptions>;

struct SinkConfig {
  std::string name;  // unique; the outbox keeps a queue per sink name
  SinkOptions options;
};

}  // namespace costwatch::sinks
