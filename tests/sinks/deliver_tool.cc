// Test-only: delivers JSON lines of events from stdin through one sink and prints the outcome
// of each batch as a JSON line, so integration tests and benchmarks exercise the real sinks
// without the daemon. Not installed.
//
//   deliver_tool --type http --url URL [--mode structured|binary|batch] [--batch-size N]
//                [--header 'Name: value']... [--timeout-ms N] [--ca-file F] [--client-cert F]
//                [--client-key F] [--insecure]
//   deliver_tool --type file --path P [--max-bytes N] [--max-files N] [--no-fsync]
//   deliver_tool --type stdout
//   common: [--name N] [--repeat N] [--quiet]
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "sinks/sink_factory.h"
#include "util/json.h"

namespace cw = costwatch;
namespace sinks = costwatch::sinks;

namespace {

int Usage(const std::string& problem) {
  std::cerr << "deliver_tool: " << problem << "\n";
  return 2;
}

const char* OutcomeName(sinks::Outcome o) {
  switch (o) {
    case sinks::Outcome::kDelivered:
      return "delivered";
    case sinks::Outcome::kRetry:
      return "retry";
    case sinks::Outcome::kRejected:
      return "rejected";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  std::string type = "http";
  std::string name = "deliver_tool";
  sinks::HttpSinkOptions http;
  sinks::FileSinkOptions file;
  long repeat = 1;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "deliver_tool: " << flag << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--type") {
      type = value();
    } else if (flag == "--name") {
      name = value();
    } else if (flag == "--url") {
      http.url = value();
    } else if (flag == "--mode") {
      const std::string m = value();
      if (m == "structured") {
        http.mode = sinks::HttpMode::kStructured;
      } else if (m == "binary") {
        http.mode = sinks::HttpMode::kBinary;
      } else if (m == "batch") {
        http.mode = sinks::HttpMode::kBatch;
      } else {
        return Usage("unknown mode " + m);
      }
    } else if (flag == "--batch-size") {
      http.batch_size = std::stoul(value());
    } else if (flag == "--header") {
      const std::string h = value();
      const auto colon = h.find(':');
      if (colon == std::string::npos) return Usage("--header wants 'Name: value'");
      std::string v = h.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      http.headers.push_back({h.substr(0, colon), v});
    } else if (flag == "--timeout-ms") {
      http.timeout = std::chrono::milliseconds(std::stol(value()));
    } else if (flag == "--ca-file") {
      http.ca_file = value();
    } else if (flag == "--client-cert") {
      http.client_cert = value();
    } else if (flag == "--client-key") {
      http.client_key = value();
    } else if (flag == "--insecure") {
      http.verify_tls = false;
    } else if (flag == "--path") {
      file.path = value();
    } else if (flag == "--max-bytes") {
      file.max_bytes = std::stoull(value());
    } else if (flag == "--max-files") {
      file.max_files = std::stoi(value());
    } else if (flag == "--no-fsync") {
      file.fsync = false;
    } else if (flag == "--repeat") {
      repeat = std::stol(value());
    } else if (flag == "--quiet") {
      quiet = true;
    } else {
      return Usage("unknown flag " + flag);
    }
  }

  sinks::SinkConfig config{name, sinks::StdoutSinkOptions{}};
  if (type == "http") {
    config.options = http;
  } else if (type == "file") {
    config.options = file;
  } else if (type != "stdout") {
    return Usage("unknown type " + type);
  }
  auto sink = sinks::MakeSink(config);
  if (!sink.ok()) {
    std::cerr << "deliver_tool: " << sink.error().message << "\n";
    return 1;
  }

  // Read everything first so that the timing covers delivery only.
  std::vector<std::string> lines;
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty()) lines.push_back(std::move(line));
  }
  std::vector<std::string> ids(lines.size());
  simdjson::ondemand::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    const simdjson::padded_string padded(lines[i]);
    simdjson::ondemand::document doc;
    std::string_view id;
    if (parser.iterate(padded).get(doc) == simdjson::SUCCESS &&
        doc["id"].get_string().get(id) == simdjson::SUCCESS)
      ids[i] = std::string(id);
  }
  std::vector<sinks::EventRecord> records;
  records.reserve(lines.size() * static_cast<size_t>(repeat));
  for (long r = 0; r < repeat; ++r) {
    for (size_t i = 0; i < lines.size(); ++i) records.push_back({ids[i], lines[i]});
  }

  const size_t batch = std::max<size_t>(1, (*sink)->max_batch());
  size_t delivered = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t at = 0, n = 0; at < records.size(); at += batch, ++n) {
    const std::span<const sinks::EventRecord> chunk(records.data() + at,
                                                    std::min(batch, records.size() - at));
    const sinks::DeliveryResult result = (*sink)->deliver(chunk);
    if (result.outcome == sinks::Outcome::kDelivered) delivered += chunk.size();
    if (quiet && result.outcome == sinks::Outcome::kDelivered) continue;
    std::string out = "{\"batch\":" + std::to_string(n) +
                      ",\"events\":" + std::to_string(chunk.size()) + ",\"outcome\":\"" +
                      OutcomeName(result.outcome) + "\"";
    if (result.retry_after)
      out += ",\"retry_after_ms\":" + std::to_string(result.retry_after->count());
    out += ",\"message\":";
    cw::AppendJsonString(out, result.message);
    out += "}\n";
    (void)std::fwrite(out.data(), 1, out.size(), type == "stdout" ? stderr : stdout);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (void)std::fprintf(
      stderr, "deliver_tool: delivered %zu of %zu events in %.3f s (%.0f events/s)\n", delivered,
      records.size(), seconds, seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0);
  return 0;
}
