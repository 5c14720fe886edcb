// What a configuration allows but weakens: said at every start of run, serve and backfill, and
// by config check, so that nobody runs it that way without a word.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace costwatch::config {

// One line per sink or notifier that sends without verifying TLS certificates (tls.verify:
// false), or sends credentials over http:// to another host (allow_plaintext_credentials).
std::vector<std::string> SecurityWarnings(const Config& config);

}  // namespace costwatch::config
