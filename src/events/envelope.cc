#include "events/envelope.h"

#include "util/json.h"

namespace costwatch::events {

std::string WrapInCloudEvent(std::string_view id, std::string_view source, std::string_view type,
                             std::string_view time, std::string_view data_json) {
  std::string out = R"({"specversion":"1.0","id":)";
  AppendJsonString(out, id);
  out += R"(,"source":)";
  AppendJsonString(out, source);
  out += R"(,"type":)";
  AppendJsonString(out, type);
  out += R"(,"datacontenttype":"application/json")";
  if (!time.empty()) {
    out += R"(,"time":)";
    AppendJsonString(out, time);
  }
  out += R"(,"data":)";
  out += data_json;
  out += '}';
  return out;
}

}  // namespace costwatch::events
