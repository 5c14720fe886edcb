// Feeds arbitrary bytes to the GetCostAndUsage reader and the event encoder.
//
// Checked beyond "no crash": a refused answer hands out no rows, and every event the encoder
// writes is one line of valid JSON.
#include <simdjson.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "costexplorer/cost_and_usage.h"
#include "events/cost_event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static costwatch::ce::CostAndUsageReader reader;
  static simdjson::dom::parser checker;
  costwatch::events::CostEventEncoder encoder({});
  costwatch::ByteBuffer out;
  size_t rows = 0;
  auto page =
      reader.read(std::string_view(reinterpret_cast<const char*>(data), size),
                  [&](const costwatch::ce::CostAndUsagePage& p, const costwatch::ce::CostRow& row) {
                    ++rows;
                    out.clear();
                    if (!encoder.append(p, row, out)) return;
                    if (out.empty() || out.back() != '\n' || out.find('\n') != out.size() - 1) {
                      std::abort();
                    }
                    simdjson::dom::element event;
                    if (checker.parse(line.data(), line.size()).get(event) != simdjson::SUCCESS)
                      std::abort();
                  });
  if (!page && rows != 0) std::abort();
  return 0;
}
