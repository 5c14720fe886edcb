// sinks[]: where events go. Each type's keys are the fields of its options struct
// (sinks/sink_options.h); a key of another type is refused like any unknown key.
#include <array>
#include <cctype>
#include <vector>

#include "config/schema.h"
#include "config/sections.h"
#include "config/values.h"
#include "http/http.h"
#include "http/url.h"
#include "sinks/kafka/kafka_settings.h"
#include "util/listen_address.h"
#include "util/text.h"

namespace costwatch::config {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// RFC 9110 token characters.
bool IsHeaderName(std::string_view name) {
  if (name.empty()) return false;
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           kSymbols.find(c) != std::string_view::npos;
  });
}

void ReadHeaders(Reader& reader, const YAML::Node& value, const std::string& path,
                 SinkDraft& draft) {
  draft.http.headers = ReadHeaderMap(reader, value, path, "sink");
}

const std::array<Field<SinkDraft>, 2> kCommonFields = {{
    {{"name", "string", "",
      "Unique name of the sink ([a-z0-9_-]+); the outbox keeps one queue per sink name.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto name = reader.Name(value, path)) draft.name = *name;
     }},
    // ReadSink reads the type first, because it decides which other keys exist.
    {{"type", "string", "", "stdout, file, http or kafka.", true},
     [](Reader& /*reader*/, const YAML::Node& /*value*/, const std::string& /*path*/,
        SinkDraft& /*draft*/) {}},
}};

// "0600", "640": octal permission bits, at most 0777, the owner allowed to write.
std::optional<unsigned> ParseFileMode(std::string_view text) {
  if (text.empty() || text.size() > 4) return std::nullopt;
  unsigned mode = 0;
  for (const char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    mode = mode * 8 + static_cast<unsigned>(c - '0');
  }
  if (mode > 0777) return std::nullopt;
  return mode;
}

const std::array<Field<SinkDraft>, 5> kFileFields = {{
    {{"path", "string", "", "JSON Lines file; rotated to path.1, path.2, ...", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto text = reader.String(value, path);
       if (!text) return;
       if (text->empty()) {
         reader.Report(value, path + " must not be empty");
         return;
       }
       draft.file.path = std::move(*text);
     }},
    {{"max_size", "size", "100MiB", "Rotate when the file would grow past this, e.g. 100MB, 1GiB."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto size = reader.Size(value, path, 4096)) draft.file.max_bytes = *size;
     }},
    {{"max_files", "integer", "5", "Rotated files kept besides the live one; 0 to 1000."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto count = reader.Integer(value, path, 0, 1000)) {
         draft.file.max_files = static_cast<int>(*count);
       }
     }},
    {{"fsync", "boolean", "true",
      "fsync after every delivered batch, so that a delivered event survives a power cut."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto flag = reader.Boolean(value, path)) draft.file.fsync = *flag;
     }},
    {{"file_mode", "string", "\"0600\"",
      "Permissions of the files the sink creates (the live one, and so the rotated ones), in "
      "octal, whatever the umask: they hold the costs. E.g. \"0640\" for a log shipper's "
      "group. A file that exists keeps its permissions."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       const auto mode = ParseFileMode(text->value);
       if (!mode) {
         reader.Report(value, path + ": " + text->shown +
                                  " is not a file mode in octal from \"0000\" to \"0777\", "
                                  "such as \"0600\"");
         return;
       }
       if ((*mode & 0200) == 0) {
         reader.Report(value, path + ": " + text->shown +
                                  " does not let the owner write; the sink appends to the file");
         return;
       }
       draft.file.file_mode = *mode;
     }},
}};

const std::array<Field<SinkDraft>, 7> kHttpFields = {{
    {{"url", "string", "", "http:// or https:// URL events are POSTed to.", true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       draft.url_node = value;
       if (auto url = ReadHttpUrl(reader, value, path)) draft.http.url = std::move(*url);
     }},
    {{"mode", "string", "structured",
      "structured (one application/cloudevents+json event per request), binary (ce-* headers, "
      "the data as body) or batch (application/cloudevents-batch+json)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       constexpr std::array<std::string_view, 3> kModes = {"structured", "binary", "batch"};
       constexpr std::array<sinks::HttpMode, 3> kValues = {
           sinks::HttpMode::kStructured, sinks::HttpMode::kBinary, sinks::HttpMode::kBatch};
       for (size_t i = 0; i < kModes.size(); ++i) {
         if (text->value == kModes[i]) {
           draft.http.mode = kValues[i];
           return;
         }
       }
       const std::string guess = ClosestMatch(text->value, kModes);
       reader.Report(value, path + " must be structured, binary or batch, not " + text->shown +
                                (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
     }},
    {{"batch_size", "integer", "100", "Events per request in batch mode; 1 to 10000."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto size = reader.Integer(value, path, 1, 10000)) {
         draft.http.batch_size = static_cast<size_t>(*size);
         draft.batch_size_node = value;
       }
     }},
    {{"headers", "mapping", "",
      "Extra request headers, e.g. Authorization: \"Bearer ${WEBHOOK_TOKEN}\". Values are "
      "secrets: never printed.",
      false, true},
     ReadHeaders},
    {{"timeout", "duration", "10s", "How long one request may take; 1s to 10m."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto d = reader.Duration(value, path, seconds(1), minutes(10))) draft.http.timeout = *d;
     }},
    {{"allow_plaintext_credentials", "boolean", "false", kAllowPlaintextHelp},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto flag = reader.Boolean(value, path)) draft.http.allow_plaintext_credentials = *flag;
     }},
    {{"tls", "section", "", "TLS settings, below."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       reader.Section<SinkDraft>(value, path, TlsFields(), draft);
       draft.tls_node = value;
     }},
}};

const std::array<Field<SinkDraft>, 4> kTlsFields = {{
    {{"ca_file", "string", "", "Extra CA bundle (PEM); default: the system's."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto text = reader.String(value, path)) draft.http.ca_file = *text;
     }},
    {{"cert_file", "string", "", "Client certificate (PEM) for mutual TLS; needs key_file."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto text = reader.String(value, path)) draft.http.client_cert = *text;
     }},
    {{"key_file", "string", "", "Private key (PEM) of cert_file."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto text = reader.String(value, path)) draft.http.client_key = *text;
     }},
    {{"verify", "boolean", "true", "Verify the server's certificate. false is for tests only."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto flag = reader.Boolean(value, path)) draft.http.verify_tls = *flag;
     }},
}};

// One of `names`, as its index; reported (with a guess) otherwise.
std::optional<size_t> ReadChoice(Reader& reader, const YAML::Node& value, const std::string& path,
                                 std::span<const std::string_view> names, std::string_view listed) {
  auto text = reader.ReadText(value, path);
  if (!text) return std::nullopt;
  for (size_t i = 0; i < names.size(); ++i) {
    if (text->value == names[i]) return i;
  }
  const std::string guess = ClosestMatch(text->value, names);
  reader.Report(value, path + " must be " + std::string(listed) + ", not " + text->shown +
                           (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  return std::nullopt;
}

// host:port, as librdkafka's bootstrap.servers takes them (one per item, no commas).
bool IsBrokerAddress(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) return false;
  if (address.find_first_of(", \t\r\n") != std::string_view::npos) return false;
  const std::string_view port = address.substr(colon + 1);
  return port.size() <= 5 &&
         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         std::stoi(std::string(port)) > 0 && std::stoi(std::string(port)) < 65536;
}

void ReadLibrdkafka(Reader& reader, const YAML::Node& value, const std::string& path,
                    SinkDraft& draft) {
  auto entries = reader.Mapping(value, path);
  if (!entries) return;
  for (const auto& entry : *entries) {
    const std::string key_path = path + "." + entry.key;
    if (auto key = sinks::ManagedProperty(entry.key)) {
      reader.Report(entry.key_node, key_path + " is set by the sink (see " + *key + ")");
      continue;
    }
    auto text = reader.ReadText(entry.value, key_path, sinks::IsSecretProperty(entry.key));
    if (!text) continue;
    if (auto ok = sinks::CheckProperty(entry.key, text->value); !ok) {
      reader.Report(entry.key_node, key_path + ": " + ok.error().message);
      continue;
    }
    draft.kafka.properties.push_back({entry.key, std::move(text->value)});
  }
}

const std::array<Field<SinkDraft>, 8> kKafkaFields = {{
    {{"brokers", "list of strings", "", "Bootstrap brokers as host:port, e.g. [kafka1:9092].",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto items = reader.StringList(value, path);
       if (!items) return;
       if (items->empty()) reader.Report(value, path + " needs at least one host:port");
       for (const auto& item : *items) {
         // Not quoted: what comes before '@' would be a password.
         if (item.value.find('@') != std::string::npos) {
           reader.Report(item.node, path +
                                        ": host:port without user information (set "
                                        "sasl.username and sasl.password in librdkafka)");
           continue;
         }
         if (!IsBrokerAddress(item.value)) {
           reader.Report(item.node, path + ": " + item.shown + " is not host:port");
           continue;
         }
         draft.kafka.brokers.push_back(item.value);
       }
     }},
    {{"topic", "string", "",
      "Topic of each event; {source} and {type} are replaced by the event's attributes, e.g. "
      "costs.{type}.",
      true},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       if (auto problem = sinks::CheckTopicTemplate(text->value)) {
         reader.Report(value, path + ": " + text->shown + " " + *problem);
         return;
       }
       draft.kafka.topic = std::move(text->value);
     }},
    {{"mode", "string", "binary",
      "binary (ce_* headers, the data as the record value) or structured (the event as "
      "application/cloudevents+json)."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       constexpr std::array<std::string_view, 2> kModes = {"binary", "structured"};
       if (auto i = ReadChoice(reader, value, path, kModes, "binary or structured")) {
         draft.kafka.mode = *i == 0 ? sinks::KafkaMode::kBinary : sinks::KafkaMode::kStructured;
       }
     }},
    {{"key_attribute", "string", "partitionkey",
      "CloudEvents attribute whose value is the record key (events without it have none); \"\" "
      "for no key."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       auto text = reader.ReadText(value, path);
       if (!text) return;
       if (!std::all_of(text->value.begin(), text->value.end(),
                        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); })) {
         reader.Report(
             value, path + ": " + text->shown + " is not a CloudEvents attribute name ([a-z0-9]+)");
         return;
       }
       draft.kafka.key_attribute = std::move(text->value);
     }},
    {{"compression", "string", "lz4", "none, gzip, snappy, lz4 or zstd."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       constexpr std::array<std::string_view, 5> kNames = {"none", "gzip", "snappy", "lz4", "zstd"};
       if (auto i = ReadChoice(reader, value, path, kNames, "none, gzip, snappy, lz4 or zstd")) {
         draft.kafka.compression = static_cast<sinks::KafkaCompression>(*i);
       }
     }},
    {{"batch_size", "integer", "10000",
      "Events produced together; the batch leaves the outbox once every record is "
      "acknowledged. 1 to 100000."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto size = reader.Integer(value, path, 1, 100000)) {
         draft.kafka.batch_size = static_cast<size_t>(*size);
       }
     }},
    {{"timeout", "duration", "30s",
      "How long a record may wait for the brokers' acknowledgement (message.timeout.ms); 1s to "
      "10m."},
     [](Reader& reader, const YAML::Node& value, const std::string& path, SinkDraft& draft) {
       if (auto d = reader.Duration(value, path, seconds(1), minutes(10))) draft.kafka.timeout = *d;
     }},
    {{"librdkafka", "mapping", "",
      "Extra librdkafka properties passed through, e.g. security.protocol, sasl.*, ssl.*; "
      "passwords and keys are secrets: never printed.",
      false, true},
     ReadLibrdkafka},
}};

// The `type` value of a sink mapping, read before anything else because it decides which other
// keys exist.
std::optional<YAML::Node> FindType(const YAML::Node& node) {
  if (!node.IsMap()) return std::nullopt;
  for (const auto& pair : node) {
    if (pair.first.IsScalar() && pair.first.Scalar() == "type") return pair.second;
  }
  return std::nullopt;
}

}  // namespace

std::vector<http::Header> ReadHeaderMap(Reader& reader, const YAML::Node& value,
                                        const std::string& path, std::string_view writer) {
  std::vector<http::Header> headers;
  auto entries = reader.Mapping(value, path);
  if (!entries) return headers;
  for (const auto& entry : *entries) {
    const std::string key_path = path + "." + entry.key;
    if (!IsHeaderName(entry.key)) {
      reader.Report(entry.key_node, key_path + ": '" + entry.key + "' is not a header name");
      continue;
    }
    // The sink or notifier writes these itself, from the body.
    if (http::EqualsIgnoreCase(entry.key, "Content-Type") ||
        http::EqualsIgnoreCase(entry.key, "Content-Length")) {
      reader.Report(entry.key_node, key_path + " is set by the " + std::string(writer) +
                                        " and cannot be configured");
      continue;
    }
    // Header values are credentials more often than not: never quoted.
    auto text = reader.String(entry.value, key_path, /*secret=*/true);
    if (!text) continue;
    if (text->find_first_of("\r\n") != std::string::npos) {
      reader.Report(entry.value, key_path + ": the value contains a line break");
      continue;
    }
    headers.push_back(http::Header{entry.key, std::move(*text)});
  }
  return headers;
}

std::optional<std::string> ReadHttpUrl(Reader& reader, const YAML::Node& value,
                                       const std::string& path, bool secret) {
  auto text = reader.ReadText(value, path, secret);
  if (!text) return std::nullopt;
  const std::string& url = text->value;
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if ((scheme != "https" && scheme != "http") || url.size() == scheme_end + 3 ||
      url.find_first_of(" \t\r\n") != std::string::npos) {
    // URLs may carry credentials (user:password@, a token in the path): not quoted.
    reader.Report(value, path + " must be an http:// or https:// URL");
    return std::nullopt;
  }
  // The words of every other place that refuses it (http::ParseUrl), so that config check and
  // run say the same.
  if (http::HasUserInfo(url)) {
    reader.Report(value, path + ": " + std::string(http::kUserInfoRefused));
    return std::nullopt;
  }
  return url;
}

bool CrossesNetworkInClearText(const std::string& url) {
  const auto parsed = http::ParseUrl(url);
  return parsed && parsed->scheme == "http" && !IsLoopbackHost(parsed->host);
}

std::span<const Field<SinkDraft>> SinkCommonFields() {
  return kCommonFields;
}
std::span<const Field<SinkDraft>> FileSinkFields() {
  return kFileFields;
}
std::span<const Field<SinkDraft>> HttpSinkFields() {
  return kHttpFields;
}
std::span<const Field<SinkDraft>> KafkaSinkFields() {
  return kKafkaFields;
}
std::span<const Field<SinkDraft>> TlsFields() {
  return kTlsFields;
}

std::optional<sinks::SinkConfig> ReadSink(Reader& reader, const YAML::Node& node,
                                          const std::string& path) {
  SinkDraft draft;
  const std::optional<YAML::Node> type_node = FindType(node);
  std::optional<Reader::Text> type;
  if (type_node) type = reader.ReadText(*type_node, path + ".type");
  constexpr std::array<std::string_view, 4> kTypes = {"stdout", "file", "http", "kafka"};
  const bool known_type =
      type && std::find(kTypes.begin(), kTypes.end(), type->value) != kTypes.end();
  if (type && !known_type) {
    const std::string guess = ClosestMatch(type->value, kTypes);
    reader.Report(*type_node, path + ".type must be stdout, file, http or kafka, not " +
                                  type->shown +
                                  (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
  }

  // Without a known type, every type's keys are accepted, none required, so that only real
  // typos are reported.
  std::vector<Field<SinkDraft>> fields(kCommonFields.begin(), kCommonFields.end());
  const auto add = [&](std::span<const Field<SinkDraft>> more) {
    for (auto field : more) {
      field.spec.required = field.spec.required && known_type;
      fields.push_back(field);
    }
  };
  if (!known_type || type->value == "file") add(kFileFields);
  if (!known_type || type->value == "http") add(kHttpFields);
  if (!known_type || type->value == "kafka") add(kKafkaFields);
  reader.Section<SinkDraft>(node, path, fields, draft);
  if (!known_type) return std::nullopt;

  sinks::SinkConfig sink{draft.name, sinks::StdoutSinkOptions{}};
  if (type->value == "file") sink.options = std::move(draft.file);
  if (type->value == "http") {
    if (draft.http.mode != sinks::HttpMode::kBatch && draft.batch_size_node.IsScalar()) {
      reader.Report(draft.batch_size_node, path + ".batch_size applies only to mode: batch");
    }
    if (draft.http.client_cert.empty() != draft.http.client_key.empty()) {
      reader.Report(draft.tls_node, path + ".tls needs both cert_file and key_file, or neither");
    }
    const auto secret = std::find_if(
        draft.http.headers.begin(), draft.http.headers.end(), [](const http::Header& header) {
          return IsSecretName(header.name) || http::EqualsIgnoreCase(header.name, "Cookie");
        });
    if (secret != draft.http.headers.end() && !draft.http.allow_plaintext_credentials &&
        CrossesNetworkInClearText(draft.http.url)) {
      reader.Report(draft.url_node, path + ": the " + secret->name +
                                        " header would cross the network in clear text (http:// "
                                        "to a host that is not this machine); use https://, or "
                                        "set allow_plaintext_credentials: true");
    }
    sink.options = std::move(draft.http);
  }
  if (type->value == "kafka") sink.options = std::move(draft.kafka);
  return sink;
}

}  // namespace costwatch::config
