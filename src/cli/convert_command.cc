#include "cli/convert_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

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

void ConvertFile(const std::string& file, const events::EncoderOptions& encoder_options,
                 ce::CostAndUsageReader& reader, ByteBuffer& out, std::optional<Error>& error) {
  const std::string path = file == "-" ? "/dev/stdin" : file;
  events::CostEventEncoder encoder(encoder_options);
  const ce::RowCallback on_row = [&](const ce::CostAndUsagePage& page, const ce::CostRow& row) {
    if (error) return;
    if (auto ok = encoder.append(page, row, out); !ok) error = WithContext(file, ok.error());
  };
  if (auto page = reader.read_file(path, on_row); !page) error = page.error();
}

// Converts files on every core and hands the results to the writer in command-line order.
// At most `window` files are converted ahead of the writer, so memory stays bounded however
// many files a backfill names, and buffers are recycled instead of freshly allocated.
class OrderedConversion {
 public:
  OrderedConversion(const std::vector<std::string>& files, events::EncoderOptions options,
                    size_t workers)
      : files_(files), options_(std::move(options)), slots_(files.size()), window_(2 * workers) {
    for (size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  ~OrderedConversion() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
  }
  OrderedConversion(const OrderedConversion&) = delete;
  OrderedConversion& operator=(const OrderedConversion&) = delete;

  // Writes every file's events in order; stops at the first file that fails.
  Result<void> write_all() {
    for (size_t i = 0; i < files_.size(); ++i) {
      Slot slot;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return slots_[i].done; });
        slot = std::move(slots_[i]);
      }
      if (slot.error) return *slot.error;
      auto written = WriteStdout(slot.events.view());
      {
        std::lock_guard lock(mutex_);
        slot.events.clear();
        spare_.push_back(std::move(slot.events));
        written_ = i + 1;
      }
      changed_.notify_all();
      if (!written) return written.error();
    }
    return {};
  }

 private:
  struct Slot {
    ByteBuffer events;
    std::optional<Error> error;
    bool done = false;
  };

  void work() {
    ce::CostAndUsageReader reader;
    while (true) {
      size_t index = 0;
      ByteBuffer out;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || next_ >= files_.size() || next_ < written_ + window_;
        });
        if (stopping_ || next_ >= files_.size()) return;
        index = next_++;
        if (!spare_.empty()) {
          out = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      std::optional<Error> error;
      ConvertFile(files_[index], options_, reader, out, error);
      {
        std::lock_guard lock(mutex_);
        slots_[index] = Slot{std::move(out), std::move(error), true};
      }
      changed_.notify_all();
    }
  }

  const std::vector<std::string>& files_;
  const events::EncoderOptions options_;
  std::vector<Slot> slots_;
  const size_t window_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ByteBuffer> spare_;
  size_t next_ = 0;     // the next file to convert
  size_t written_ = 0;  // files written so far
  bool stopping_ = false;
};

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
  const size_t workers =
      std::min<size_t>(options.files.size(), std::max(1U, std::thread::hardware_concurrency()));
  OrderedConversion conversion(options.files, encoder_options, workers);
  if (auto ok = conversion.write_all(); !ok) {
    PrintError(ok.error().message);
    return 1;
  }
  return 0;
}

}  // namespace costwatch::cli
