// Every secret a configuration holds, for the one scrubber that every recorded or printed
// delivery and notifier error goes through (util/secret_scrubber.h).
#pragma once

#include "config/config.h"
#include "util/secret_scrubber.h"

namespace costwatch::config {

// A scrubber that knows the values of every key the schema marks secret (Config::secret_values:
// tokens, passwords, header values, Slack and Teams URLs), the generic webhooks' URLs, the user
// information and credential-named query values of every other URL, the SMTP passwords in their
// base64 forms, the Kafka properties that hold secrets, and the values taken from the
// environment.
SecretScrubber ScrubberFor(const Config& config);

}  // namespace costwatch::config
