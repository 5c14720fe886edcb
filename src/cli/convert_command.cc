#include "cli/convert_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "cli/output.h"
#include "costexplorer/cost_and_usage.h"

namespace costwatch::cli {

void AddConvertCommand(CLI::App& app, ConvertOptions& options) {
  auto* command = app.add_subcommand(
      "convert",
      "Convert GetCostAndUsage answers saved from `aws ce get-cost-and-usage` to "
      "CloudEvents on stdout");
  command
      ->add_option("files", options.files, "JSON files as the AWS CLI printed them ('-' for stdin)")
      ->required();
  command->add_option("--source", options.source, "CloudEvents source attribute")
      ->capture_default_str();
  command->add_option("--granularity", options.granularity,
                      "DAILY, HOURLY or MONTHLY (default: inferred from each period)");
}

namespace {

struct ConvertedFile {
  std::string events;
  std::optional<Error> error;
};

void ConvertFile(const std::string& file, const events::EncoderOptions& encoder_options,
                 ce::CostAndUsageReader& reader, ConvertedFile& result) {
  const std::string path = file == "-" ? "/dev/stdin" : file;
  // Events take about as many bytes as the pretty-printed answer they come from.
  std::error_code ignored;
  if (const auto size = std::filesystem::file_size(path, ignored);
      size != static_cast<std::uintmax_t>(-1)) {
    result.events.reserve(static_cast<size_t>(size));
  }
  events::CostEventEncoder encoder(encoder_options);
  const ce::RowCallback on_row = [&](const ce::CostAndUsagePage& page, const ce::CostRow& row) {
    if (result.error) return;
    if (auto ok = encoder.append(page, row, result.events); !ok) {
      result.error = WithContext(file, ok.error());
    }
  };
  if (auto page = reader.read_file(path, on_row); !page) result.error = page.error();
}

}  // namespace

int RunConvert(const ConvertOptions& options) {
  events::EncoderOptions encoder_options{options.source, std::nullopt};
  if (!options.granularity.empty()) {
    auto granularity = ce::ParseGranularity(options.granularity);
    if (!granularity) {
      PrintError("--granularity: " + granularity.error().message);
      return 2;
    }
    encoder_options.granularity = *granularity;
  }

  // Files are independent, so a backfill of many files converts them on every core; the
  // results are kept in order and written only once all of them have converted.
  std::vector<ConvertedFile> results(options.files.size());
  std::atomic<size_t> next{0};
  const auto work = [&] {
    ce::CostAndUsageReader reader;
    for (size_t i = next++; i < options.files.size(); i = next++) {
      ConvertFile(options.files[i], encoder_options, reader, results[i]);
    }
  };
  const size_t workers =
      std::min<size_t>(options.files.size(), std::max(1U, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();

  for (const auto& result : results) {
    if (result.error) {
      PrintError(result.error->message);
      return 1;
    }
  }
  for (const auto& result : results) {
    if (auto ok = WriteStdout(result.events); !ok) {
      PrintError(ok.error().message);
      return 1;
    }
  }
  return 0;
}

}  // namespace costwatch::cli
