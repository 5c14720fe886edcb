// Feeds arbitrary bytes to the GetCostAndUsage reader and the event encoder.
//
// Checked beyond "no crash": a refused answer hands out no rows, and every event the encoder
// writes is one line of valid JSON.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "costexplorer/cost_and_usage.h"
#include "events/cost_event.h"

namespace {

void CheckEvent(std::string_view line) {
  static simdjson::dom::parser parser;
  if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) std::abort();
  simdjson::dom::element event;
  if (parser.parse(line.data(), line.size()).get(event) != simdjson::SUCCESS) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static costwatch::ce::CostAndUsageReader reader;
  costwatch::events::CostEventEncoder encoder({});
  costwatch::ByteBuffer out;
  size_t rows = 0;
  const auto on_row = [&](const costwatch::ce::CostAndUsagePage& page,
                          const costwatch::ce::CostRow& row) {
    ++rows;
    out.clear();
    if (encoder.append(page, row, out)) CheckEvent(out.view());
  };
  auto page = reader.read(std::string_view(reinterpret_cast<const char*>(data), size), on_row);
  if (!page && rows != 0) std::abort();
  return 0;
}
