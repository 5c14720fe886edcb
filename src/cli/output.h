// The CLI's two outputs: events on stdout, one-line messages on stderr.
#pragma once

#include <string_view>

#include "util/result.h"

namespace costwatch::cli {

// Writes everything or fails; a short write (a full disk, a closed pipe) is an Error.
Result<void> WriteStdout(std::string_view data);

// "costwatch: error: <message>" on one line of stderr. Newlines inside the message are
// flattened so that each problem stays one line.
void PrintError(std::string_view message);

// "costwatch: <message>" on stderr, for progress and summaries.
void PrintNote(std::string_view message);

}  // namespace costwatch::cli
