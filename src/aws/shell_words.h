// POSIX shell-style word splitting, the rules of Python's shlex.split() that botocore applies to
// credential_process commands and to section headers such as [profile "my name"].
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::aws {

// Splits on whitespace; '...' is literal, "..." allows \" and \\ escapes, a backslash outside
// quotes escapes the next character. No variable expansion, globbing or comments. An unclosed
// quote or a trailing backslash is an Error that does not echo the text (a command line may hold
// a secret).
Result<std::vector<std::string>> SplitShellWords(std::string_view text);

}  // namespace costwatch::aws
