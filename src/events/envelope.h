// The CloudEvent around the JSON of a notification or a digest (alarm and digest events):
// the attributes in a fixed order, no spaces, as docs/events.md shows them.
#pragma once

#include <string>
#include <string_view>

namespace costwatch::events {

// `data_json` is written as it is; `time` is left out when empty: it is optional in
// CloudEvents, and an event without one says nothing rather than something made up.
std::string WrapInCloudEvent(std::string_view id, std::string_view source, std::string_view type,
                             std::string_view time, std::string_view data_json);

}  // namespace costwatch::events
