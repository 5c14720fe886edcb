// The INI dialect of the AWS shared config files, as botocore reads them.
//
// botocore uses Python's configparser (RawConfigParser, strict mode) and then parses indented
// blocks under an empty value as one level of nested settings. Following it exactly means a file
// the AWS CLI accepts is read here the same way, and a file it rejects is rejected here too:
//   - "key = value" or "key: value"; the first '=' or ':' splits; key and value are trimmed and
//     the key is lower-cased (nested keys are not).
//   - full-line comments start with '#' or ';'; there are no inline comments, so
//     "region = us-east-1 # x" has the value "us-east-1 # x".
//   - a line indented deeper than its key line continues that key's value; if the key's own
//     value was empty, the continuation lines are "key = value" pairs of a nested section.
//   - [DEFAULT] supplies values to every other section of the same file.
//   - a duplicate section, or a duplicate key within a section, in one file is an error.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace costwatch::aws {

using StringMap = std::map<std::string, std::string, std::less<>>;

struct IniSection {
  std::string name;  // the text between the brackets, untrimmed, as configparser keeps it
  StringMap values;
  std::map<std::string, StringMap, std::less<>> nested;  // e.g. "s3" -> {addressing_style: path}
};

// Sections in file order. display_path names the file in error messages, which carry a line
// number but never a line's text: a malformed line may be a pasted secret.
Result<std::vector<IniSection>> ParseIni(std::string_view text, std::string_view display_path);

}  // namespace costwatch::aws
