#include "aws/shell_words.h"

#include <optional>

namespace costwatch::aws {

Result<std::vector<std::string>> SplitShellWords(std::string_view text) {
  std::vector<std::string> words;
  std::optional<std::string> word;  // engaged once a word has started, even an empty "" one
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (word) words.push_back(std::move(*word));
      word.reset();
      continue;
    }
    if (!word) word.emplace();
    if (c == '\\') {
      if (++i == text.size()) return Fail("no character after the final backslash");
      *word += text[i];
    } else if (c == '\'') {
      const size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) return Fail("no closing quotation (')");
      *word += text.substr(i + 1, close - i - 1);
      i = close;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= text.size()) return Fail("no closing quotation (\")");
        if (text[i] == '"') break;
        // Inside double quotes a backslash escapes only a quote or another backslash.
        if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
          ++i;
        }
        *word += text[i];
      }
    } else {
      *word += c;
    }
  }
  if (word) words.push_back(std::move(*word));
  return words;
}

}  // namespace costwatch::aws
