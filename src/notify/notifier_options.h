// What the config file says about each kind of notifier (the `notifiers:` list of
// costwatch.yaml; docs/config.md lists every key). Like sinks/sink_options.h: each type owns
// its options, the config module fills them, and the factory builds from them.
#pragma once

#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "http/http.h"

namespace costwatch::notify {

enum class StartTls {
  kRequired,  // smtp:// must upgrade with STARTTLS before AUTH and the message
  kNone,      // plain text SMTP: only for a relay on the same host or network
};

struct EmailOptions {
  std::string smtp_url;  // smtp://host[:port] (STARTTLS) or smtps://host[:port] (implicit TLS)
  StartTls starttls = StartTls::kRequired;  // ignored for smtps://, which is TLS from the start
  std::string username;                     // empty: no AUTH
  std::string password;                     // secret
  std::string from;                         // the envelope and header sender address
  std::vector<std::string> to;              // at least one recipient address
  std::string ca_file;                      // extra CA bundle; empty: the system's
  std::chrono::milliseconds timeout{30000};
};

struct SlackOptions {
  std::string webhook_url;  // secret: the URL is the credential
  std::chrono::milliseconds timeout{10000};
  bool allow_plaintext_credentials = false;  // http:// to another host; refused without it
};

struct TeamsOptions {
  std::string webhook_url;  // secret: the URL is the credential
  std::chrono::milliseconds timeout{10000};
  bool allow_plaintext_credentials = false;  // http:// to another host; refused without it
};

struct WebhookOptions {
  std::string url;
  std::vector<http::Header> headers;  // e.g. Authorization; values are secrets
  std::chrono::milliseconds timeout{10000};
  bool allow_plaintext_credentials = false;  // http:// to another host; refused without it
};

// The alarm engine queues an amazon.billing.alarm event into these sinks' outboxes.
struct CloudEventOptions {
  std::vector<std::string> sinks;  // sink names; empty: every configured sink
  std::string source = "cloud.amazon.billing";
};

// SNS Publish; the client is built by the alarm engine with the AWS credentials of `profile`.
struct SnsOptions {
  std::string topic_arn;
  std::string profile;  // empty: AWS_PROFILE, else "default"
};

using NotifierOptions = std::variant<EmailOptions, SlackOptions, TeamsOptions, WebhookOptions,
                                     CloudEventOptions, SnsOptions>;

struct NotifierConfig {
  std::string name;  // unique among the notifiers; rules name the notifiers they use
  NotifierOptions options;
};

}  // namespace costwatch::notify
