#include "aws/xml_text.h"

#include <cstdint>

namespace costwatch::aws {
namespace {

bool IsNameEnd(char c) {
  return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The local name at `pos` (after "<" or "</"), without a "prefix:".
std::string_view LocalName(std::string_view xml, size_t pos) {
  size_t end = pos;
  while (end < xml.size() && !IsNameEnd(xml[end])) ++end;
  std::string_view name = xml.substr(pos, end - pos);
  if (auto colon = name.find(':'); colon != std::string_view::npos) name.remove_prefix(colon + 1);
  return name;
}

// The content between <name ...> and its </name> inside `xml`, or std::nullopt.
std::optional<std::string_view> ElementContent(std::string_view xml, std::string_view name) {
  size_t pos = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    ++pos;
    if (pos >= xml.size()) return std::nullopt;
    const char next = xml[pos];
    if (next == '/' || next == '?' || next == '!') continue;
    if (LocalName(xml, pos) != name) continue;
    const size_t tag_end = xml.find('>', pos);
    if (tag_end == std::string_view::npos) return std::nullopt;
    if (xml[tag_end - 1] == '/') return std::string_view{};  // <Name/>
    const size_t content = tag_end + 1;
    size_t close = content;
    while ((close = xml.find("</", close)) != std::string_view::npos) {
      if (LocalName(xml, close + 2) == name) return xml.substr(content, close - content);
      close += 2;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Calls visit(name, content) for each element directly inside `xml`, tracking depth so that
// same-name descendants do not end an element early. Returns false on broken markup.
template <class Visit>
bool ForEachChild(std::string_view xml, Visit visit) {
  size_t pos = 0;
  int depth = 0;
  std::string_view open_name;
  size_t open_content = 0;
  while ((pos = xml.find('<', pos)) != std::string_view::npos) {
    const std::string_view rest = xml.substr(pos);
    if (rest.starts_with("<!--")) {
      const size_t end = xml.find("-->", pos + 4);
      if (end == std::string_view::npos) return false;
      pos = end + 3;
      continue;
    }
    if (rest.starts_with("<![CDATA[")) {
      const size_t end = xml.find("]]>", pos + 9);
      if (end == std::string_view::npos) return false;
      pos = end + 3;
      continue;
    }
    const size_t tag_end = xml.find('>', pos);
    if (tag_end == std::string_view::npos) return false;
    if (rest.starts_with("<?") || rest.starts_with("<!")) {
      pos = tag_end + 1;
      continue;
    }
    if (rest.starts_with("</")) {
      if (--depth < 0) return false;
      if (depth == 0) visit(open_name, xml.substr(open_content, pos - open_content));
    } else if (xml[tag_end - 1] == '/') {
      if (depth == 0) visit(LocalName(xml, pos + 1), std::string_view{});
    } else {
      if (depth == 0) {
        open_name = LocalName(xml, pos + 1);
        open_content = tag_end + 1;
      }
      ++depth;
    }
    pos = tag_end + 1;
  }
  return depth == 0;
}

void AppendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Decodes the reference between '&' and ';' (exclusive) into out; false when unknown.
bool DecodeReference(std::string_view ref, std::string& out) {
  if (ref == "amp") return out += '&', true;
  if (ref == "lt") return out += '<', true;
  if (ref == "gt") return out += '>', true;
  if (ref == "quot") return out += '"', true;
  if (ref == "apos") return out += '\'', true;
  if (ref.size() < 2 || ref[0] != '#') return false;
  const bool hex = ref[1] == 'x' || ref[1] == 'X';
  const std::string_view digits = ref.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return false;
  uint32_t code = 0;
  for (char c : digits) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    code = code * (hex ? 16 : 10) + digit;
  }
  // NUL, surrogates and values beyond Unicode are not characters XML allows.
  if (code == 0 || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
  AppendUtf8(out, code);
  return true;
}

}  // namespace

std::string DecodeXmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 9) == "<![CDATA[") {
      const size_t end = text.find("]]>", i + 9);
      if (end == std::string_view::npos) {
        out += text.substr(i);
        break;
      }
      out += text.substr(i + 9, end - i - 9);
      i = end + 3;
      continue;
    }
    if (text[i] == '&') {
      const size_t semi = text.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 12 &&
          DecodeReference(text.substr(i + 1, semi - i - 1), out)) {
        i = semi + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::vector<std::string_view> XmlChildren(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> found;
  const bool well_formed = ForEachChild(xml, [&](std::string_view child, std::string_view content) {
    if (child == name) found.push_back(content);
  });
  if (!well_formed) found.clear();
  return found;
}

std::optional<std::string_view> XmlChild(std::string_view xml,
                                         const std::vector<std::string_view>& path) {
  std::string_view scope = xml;
  for (std::string_view name : path) {
    std::optional<std::string_view> next;
    const bool well_formed =
        ForEachChild(scope, [&](std::string_view child, std::string_view content) {
          if (!next && child == name) next = content;
        });
    if (!well_formed || !next) return std::nullopt;
    scope = *next;
  }
  return scope;
}

std::optional<std::string> XmlChildText(std::string_view xml,
                                        const std::vector<std::string_view>& path) {
  auto content = XmlChild(xml, path);
  if (!content) return std::nullopt;
  return DecodeXmlText(*content);
}

std::optional<std::string> XmlText(std::string_view xml,
                                   const std::vector<std::string_view>& path) {
  std::string_view scope = xml;
  for (std::string_view name : path) {
    auto content = ElementContent(scope, name);
    if (!content) return std::nullopt;
    scope = *content;
  }
  return DecodeXmlText(scope);
}

}  // namespace costwatch::aws
