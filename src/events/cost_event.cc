#include "events/cost_event.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "util/dates.h"
#include "util/json.h"
#include "util/text.h"

namespace costwatch::events {
namespace {

void AppendNetstring(ByteBuffer& out, std::string_view field) {
  char* const begin = out.prepare(field.size() + 24);
  char* p = std::to_chars(begin, begin + 22, field.size()).ptr;
  *p++ = ':';
  std::memcpy(p, field.data(), field.size());
  p += field.size();
  *p++ = ',';
  out.commit(static_cast<size_t>(p - begin));
}

// SHA-256 through a digest fetched once. OpenSSL 3's one-shot SHA256() looks the algorithm up
// under a lock on every call, which showed up at the top of the convert profile.
const EVP_MD* Sha256Algorithm() {
  static EVP_MD* algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return algorithm;
}

// Writes the first 16 bytes of the digest as 32 hex digits to `hex`.
void Sha256Prefix(std::string_view input, char* hex) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                               &EVP_MD_CTX_free);
  const EVP_MD* algorithm = Sha256Algorithm();
  if (algorithm == nullptr || context == nullptr ||
      EVP_DigestInit_ex(context.get(), algorithm, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), input.data(), input.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    // Only an OpenSSL without SHA-256 gets here; an id must never be made up.
    std::abort();
  }
  constexpr std::string_view kHex = "0123456789abcdef";
  for (size_t i = 0; i < 16; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
}

void BuildIdInput(ByteBuffer& out, std::string_view source, std::string_view type,
                  const ce::CostAndUsagePage& page, const ce::CostRow& row) {
  out.clear();
  AppendNetstring(out, source);
  AppendNetstring(out, type);
  AppendNetstring(out, row.start);
  for (size_t i = 0; i < row.keys.size(); ++i) {
    AppendNetstring(out, page.group_definitions[i].type);
    AppendNetstring(out, page.group_definitions[i].key);
    AppendNetstring(out, row.keys[i]);
  }
  // Sorted so that the order AWS happens to list metrics in does not change the id.
  std::array<const ce::MetricValue*, 16> small{};
  std::vector<const ce::MetricValue*> large;
  std::span<const ce::MetricValue*> sorted;
  if (row.metrics.size() <= small.size()) {
    sorted = std::span(small.data(), row.metrics.size());
  } else {
    large.resize(row.metrics.size());
    sorted = large;
  }
  for (size_t i = 0; i < row.metrics.size(); ++i) sorted[i] = &row.metrics[i];
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  for (const auto* metric : sorted) {
    AppendNetstring(out, metric->name);
    AppendNetstring(out, metric->amount);
    AppendNetstring(out, metric->unit);
  }
}

// The member a dimension group-by becomes in `data`.
std::string DimensionMember(std::string_view dimension) {
  if (dimension == "SERVICE") return "service";
  if (dimension == "LINKED_ACCOUNT") return "account";
  return LowerCamelCase(dimension);
}

// Tags and cost categories arrive as "key$value"; the value is what follows the first '$'.
std::string_view ValueAfterKey(std::string_view raw) {
  const auto dollar = raw.find('$');
  return dollar == std::string_view::npos ? raw : raw.substr(dollar + 1);
}

void AppendKeyedObject(ByteBuffer& out, std::string_view member, std::string_view wanted_type,
                       const ce::CostAndUsagePage& page, const ce::CostRow& row) {
  bool open = false;
  for (size_t i = 0; i < row.keys.size(); ++i) {
    if (page.group_definitions[i].type != wanted_type) continue;
    if (open) {
      out += ',';
    } else {
      out += ",\"";
      out += member;
      out += "\":{";
    }
    open = true;
    AppendJsonString(out, page.group_definitions[i].key);
    out += ':';
    AppendJsonString(out, ValueAfterKey(row.keys[i]));
  }
  if (open) out += '}';
}

// The Partitioning extension's partitionkey: the account when the row is grouped by one, else
// the service; nothing when the row has neither (the extension requires a non-empty string).
// A restated row has the same key as the figure it replaces, so a broker that partitions by it
// keeps the two in order.
std::string_view PartitionKey(const ce::CostAndUsagePage& page, const ce::CostRow& row) {
  std::string_view service;
  for (size_t i = 0; i < row.keys.size(); ++i) {
    if (page.group_definitions[i].type != "DIMENSION" || row.keys[i].empty()) continue;
    if (page.group_definitions[i].key == "LINKED_ACCOUNT") return row.keys[i];
    if (page.group_definitions[i].key == "SERVICE" && service.empty()) service = row.keys[i];
  }
  return service;
}

}  // namespace

std::string_view EventType(ce::Granularity granularity) {
  switch (granularity) {
    case ce::Granularity::kHourly:
      return "amazon.billing.hourly";
    case ce::Granularity::kMonthly:
      return "amazon.billing.monthly";
    case ce::Granularity::kDaily:
      break;
  }
  return "amazon.billing.daily";
}

Result<ce::Granularity> InferGranularity(std::string_view start, std::string_view end) {
  if (ParseUtcTimestamp(start)) return ce::Granularity::kHourly;
  const auto from = ParseDate(start);
  const auto to = ParseDate(end);
  if (!from || !to || *to <= *from) {
    return Fail("TimePeriod " + std::string(start) + " to " + std::string(end) +
                " is not a valid period");
  }
  return *to - *from == std::chrono::days{1} ? ce::Granularity::kDaily : ce::Granularity::kMonthly;
}

std::string EventId(std::string_view source, std::string_view type,
                    const ce::CostAndUsagePage& page, const ce::CostRow& row) {
  ByteBuffer input;
  BuildIdInput(input, source, type, page, row);
  std::string hex(32, '0');
  Sha256Prefix(input.view(), hex.data());
  return hex;
}

CostEventEncoder::CostEventEncoder(EncoderOptions options) : options_(std::move(options)) {}

const std::string& CostEventEncoder::member_name(std::string_view metric) {
  for (const auto& [name, member] : metric_members_) {
    if (name == metric) return member;
  }
  metric_members_.emplace_back(std::string(metric), LowerCamelCase(metric));
  return metric_members_.back().second;
}

Result<void> CostEventEncoder::read_period(const ce::CostRow& row) {
  // All groups of a period share it, so it is worked out once per period.
  if (row.start == period_.start && row.end == period_.end && !period_.start.empty()) return {};
  period_.hourly = ParseUtcTimestamp(row.start).has_value();
  if (!period_.hourly && !ParseDate(row.start)) {
    return Fail("TimePeriod.Start \"" + std::string(row.start) + "\" is not a date or hour");
  }
  if (options_.granularity) {
    period_.granularity = *options_.granularity;
  } else {
    auto inferred = InferGranularity(row.start, row.end);
    if (!inferred) return inferred.error();
    period_.granularity = *inferred;
  }
  period_.start = row.start;
  period_.end = row.end;
  return {};
}

Result<void> CostEventEncoder::append(const ce::CostAndUsagePage& page, const ce::CostRow& row,
                                      ByteBuffer& out) {
  if (auto ok = read_period(row); !ok) return ok;
  const bool hourly = period_.hourly;
  const std::string_view type = EventType(period_.granularity);
  BuildIdInput(id_input_, options_.source, type, page, row);

  out += R"({"specversion":"1.0","id":")";
  Sha256Prefix(id_input_.view(), last_id_);
  out.append(last_id());
  out += R"(","source":)";
  AppendJsonString(out, options_.source);
  out += R"(,"type":")";
  out += type;
  out += R"(","datacontenttype":"application/json","time":")";
  out += row.start;
  if (!hourly) out += "T00:00:00Z";
  out += '"';
  if (const std::string_view key = PartitionKey(page, row); !key.empty()) {
    out += R"(,"partitionkey":)";
    AppendJsonString(out, key);
  }
  // The period member follows the event type, so each type has one data shape even when
  // --granularity overrides what the period looks like.
  if (period_.granularity == ce::Granularity::kHourly) {
    out += R"(,"data":{"start":")";
    out += row.start;
    if (!hourly) out += "T00:00:00Z";
  } else {
    out += R"(,"data":{"date":")";
    out += row.start.substr(0, 10);
  }
  out += '"';

  bool tags_written = false;
  bool categories_written = false;
  for (size_t i = 0; i < row.keys.size(); ++i) {
    const auto& definition = page.group_definitions[i];
    if (definition.type == "TAG") {
      if (!tags_written) AppendKeyedObject(out, "tags", "TAG", page, row);
      tags_written = true;
      continue;
    }
    if (definition.type == "COST_CATEGORY") {
      if (!categories_written) AppendKeyedObject(out, "costCategories", "COST_CATEGORY", page, row);
      categories_written = true;
      continue;
    }
    const std::string member = DimensionMember(definition.key);
    out += ',';
    AppendJsonString(out, member);
    out += ':';
    AppendJsonString(out, row.keys[i]);
    if (definition.key == "LINKED_ACCOUNT") {
      if (auto name = page.account_names.find(row.keys[i]); name != page.account_names.end()) {
        out += R"(,"accountName":)";
        AppendJsonString(out, name->second);
      }
    }
  }
  out += row.estimated ? R"(,"estimated":true)" : R"(,"estimated":false)";
  for (const auto& metric : row.metrics) {
    out += ',';
    AppendJsonString(out, member_name(metric.name));
    out += R"(:{"amount":)";
    AppendJsonString(out, metric.amount);
    out += R"(,"unit":)";
    AppendJsonString(out, metric.unit);
    out += '}';
  }
  out += "}}\n";
  return {};
}

}  // namespace costwatch::events
