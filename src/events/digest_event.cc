#include "events/digest_event.h"

#include "events/envelope.h"
#include "notify/digest_json.h"

namespace costwatch::events {

Result<std::string> DigestEvent(const notify::Digest& digest, std::string_view source) {
  if (digest.id.empty()) return Fail("a digest event needs the digest's id");
  if (source.empty()) return Fail("a digest event needs a source");
  return WrapInCloudEvent(digest.id, source, kDigestEventType, digest.time,
                          notify::DigestToJson(digest));
}

}  // namespace costwatch::events
