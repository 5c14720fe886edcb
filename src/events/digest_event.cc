#include "events/digest_event.h"

#include "notify/digest_json.h"
#include "util/json.h"

namespace costwatch::events {

Result<std::string> DigestEvent(const notify::Digest& digest, std::string_view source) {
  if (digest.id.empty()) return Fail("a digest event needs the digest's id");
  if (source.empty()) return Fail("a digest event needs a source");
  std::string out = R"({"specversion":"1.0","id":)";
  AppendJsonString(out, digest.id);
  out += R"(,"source":)";
  AppendJsonString(out, source);
  out += R"(,"type":")";
  out += kDigestEventType;
  out += R"(","datacontenttype":"application/json")";
  if (!digest.time.empty()) {
    out += R"(,"time":)";
    AppendJsonString(out, digest.time);
  }
  out += R"(,"data":)";
  out += notify::DigestToJson(digest);
  out += '}';
  return out;
}

}  // namespace costwatch::events
