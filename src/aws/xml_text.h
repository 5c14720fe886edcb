// Just enough XML for the few fields costwatch reads from AWS query-protocol replies (STS):
// the text of an element found by its path of names. Not a general parser: no DTDs, comments
// inside the searched elements or same-name nesting, none of which these replies contain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace costwatch::aws {

// The decoded text of the element reached by following `path` (each name searched inside the
// previous element; namespaces prefixes and attributes ignored). std::nullopt when an element
// is missing or the markup around it is broken.
std::optional<std::string> XmlText(std::string_view xml, const std::vector<std::string_view>& path);

// Replaces &amp; &lt; &gt; &quot; &apos; and numeric references (&#38; &#x26;) and unwraps
// CDATA sections. An unknown or malformed reference is kept as written.
std::string DecodeXmlText(std::string_view text);

}  // namespace costwatch::aws
