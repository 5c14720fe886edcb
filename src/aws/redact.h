// Keeping secrets out of messages. Errors, logs and output never contain a secret access key or
// session token; text that comes from elsewhere (a credential_process's stderr) is passed
// through RedactSecrets before it is shown.
#pragma once

#include <string>
#include <string_view>

namespace costwatch::aws {

// Replaces every run of 32 or more characters that could be part of a key or token
// (letters, digits, '/', '+', '=') with "<redacted>": AWS secret access keys are 40 such
// characters and session tokens hundreds, while ordinary words and paths are shorter.
std::string RedactSecrets(std::string_view text);

// The first line of text, without control characters, redacted and cut to max_length characters:
// safe to put in an error message.
std::string SafeFirstLine(std::string_view text, size_t max_length = 200);

}  // namespace costwatch::aws
