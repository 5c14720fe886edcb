// Just enough XML for the fields costwatch reads from AWS query-protocol replies (STS,
// CloudWatch, SNS): the text of an element found by its path of names, and the repeated
// <member> elements of a list. Not a general parser: no DTDs, none of which these replies
// contain. XmlText searches descendants and assumes no same-name nesting; the XmlChild*
// functions look at direct children only and do handle nesting (a <member> list inside a
// <member>, as DescribeAlarms answers).
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

// The raw (undecoded) content of each direct child of `xml` named `name`, in document order.
// `xml` is either a whole document (its children are the root element) or an element's content.
// Empty when there are none or the markup is broken.
std::vector<std::string_view> XmlChildren(std::string_view xml, std::string_view name);

// The raw content of the element reached by following `path` through direct children, the
// first match at each step; std::nullopt when an element is missing.
std::optional<std::string_view> XmlChild(std::string_view xml,
                                         const std::vector<std::string_view>& path);

// XmlChild, decoded.
std::optional<std::string> XmlChildText(std::string_view xml,
                                        const std::vector<std::string_view>& path);

// Replaces &amp; &lt; &gt; &quot; &apos; and numeric references (&#38; &#x26;) and unwraps
// CDATA sections. An unknown or malformed reference is kept as written.
std::string DecodeXmlText(std::string_view text);

}  // namespace costwatch::aws
