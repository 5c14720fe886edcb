// Cost rows as CloudEvents 1.0 in the JSON format (docs/events.md is the contract).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "costexplorer/cost_and_usage.h"
#include "costexplorer/request.h"
#include "util/byte_buffer.h"
#include "util/result.h"

namespace costwatch::events {

inline constexpr std::string_view kDefaultSource = "cloud.amazon.billing";

struct EncoderOptions {
  std::string source = std::string(kDefaultSource);
  // When unset, each row's granularity is inferred from its period (see docs/events.md).
  std::optional<ce::Granularity> granularity;
};

class CostEventEncoder {
 public:
  explicit CostEventEncoder(EncoderOptions options);

  // Appends the row's event to `out` as one JSON line, newline included. Fails only for a
  // period it cannot read, and then appends nothing.
  Result<void> append(const ce::CostAndUsagePage& page, const ce::CostRow& row, ByteBuffer& out);

  // The id of the event the last successful append() wrote.
  [[nodiscard]] std::string_view last_id() const { return {last_id_, sizeof last_id_}; }

 private:
  struct Period {
    std::string start;
    std::string end;
    bool hourly = false;
    ce::Granularity granularity = ce::Granularity::kDaily;
  };
  Result<void> read_period(const ce::CostRow& row);
  const std::string& member_name(std::string_view metric);

  EncoderOptions options_;
  ByteBuffer id_input_;  // reused between rows to spare allocations
  Period period_;        // the last period seen
  char last_id_[32] = {};
  // AmortizedCost -> amortizedCost
  std::vector<std::pair<std::string, std::string>> metric_members_;
};

// The event id of a row: see "Ids" in docs/events.md.
std::string EventId(std::string_view source, std::string_view type,
                    const ce::CostAndUsagePage& page, const ce::CostRow& row);

// The event type for a granularity: amazon.billing.daily, .hourly, .monthly.
std::string_view EventType(ce::Granularity granularity);

// Infers the granularity of a period from its Start and End.
Result<ce::Granularity> InferGranularity(std::string_view start, std::string_view end);

}  // namespace costwatch::events
