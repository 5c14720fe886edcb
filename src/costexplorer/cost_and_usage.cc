#include "costexplorer/cost_and_usage.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "costexplorer/amount.h"

namespace costwatch::ce {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// The rows of one answer as views into the parsed document, collected while the answer is
// checked and handed out only once all of it has passed. Flat arrays, reused between
// documents, so collecting costs no allocation per row.
struct CollectedRows {
  struct Row {
    std::string_view start;
    std::string_view end;
    bool estimated;
    size_t first_key;
    size_t first_metric;
    size_t metric_count;
  };
  std::vector<Row> rows;
  std::vector<std::string_view> keys;
  std::vector<MetricValue> metrics;

  void clear() {
    rows.clear();
    keys.clear();
    metrics.clear();
  }

  void emit(const CostAndUsagePage& page, const RowCallback& on_row) const {
    const size_t key_count = page.group_definitions.size();
    CostRow row;
    for (const auto& r : rows) {
      row.start = r.start;
      row.end = r.end;
      row.estimated = r.estimated;
      row.keys = std::span(keys).subspan(r.first_key, key_count);
      row.metrics = std::span(metrics).subspan(r.first_metric, r.metric_count);
      on_row(page, row);
    }
  }
};

// Walks a parsed answer once, checking everything and reporting the first problem with its
// path. Paths are built only for an error message.
class Walker {
 public:
  Walker(CostAndUsagePage& page, CollectedRows& out) : page_(page), out_(out) {}

  Result<void> walk(element root) {
    array results;
    if (root["ResultsByTime"].get_array().get(results) != simdjson::SUCCESS) {
      return Fail("not a GetCostAndUsage answer: no ResultsByTime array");
    }
    period_index_ = 0;
    for (element result : results) {
      if (auto ok = walk_period(result); !ok) return ok;
      ++period_index_;
    }
    return {};
  }

 private:
  // "ResultsByTime[3].Groups[7]" or "ResultsByTime[3].Total", then `what`.
  Error at(std::string_view what, bool in_group) const {
    std::string path = "ResultsByTime[" + std::to_string(period_index_) + "]";
    if (in_group)
      path += group_index_ ? ".Groups[" + std::to_string(*group_index_) + "]" : ".Total";
    path += what;
    return Fail(std::move(path));
  }

  Result<void> walk_period(element result) {
    object period;
    std::string_view start;
    std::string_view end;
    if (result["TimePeriod"].get_object().get(period) != simdjson::SUCCESS ||
        period["Start"].get_string().get(start) != simdjson::SUCCESS ||
        period["End"].get_string().get(end) != simdjson::SUCCESS) {
      return at(".TimePeriod: expected an object with Start and End strings", false);
    }
    bool estimated = false;
    if (auto field = result["Estimated"]; field.error() == simdjson::SUCCESS &&
                                          field.get_bool().get(estimated) != simdjson::SUCCESS) {
      return at(".Estimated: expected true or false", false);
    }
    start_ = start;
    end_ = end;
    estimated_ = estimated;

    array groups;
    const auto groups_error = result["Groups"].get_array().get(groups);
    if (groups_error == simdjson::INCORRECT_TYPE) return at(".Groups: expected an array", false);
    if (groups_error == simdjson::SUCCESS && groups.size() > 0) {
      if (page_.group_definitions.empty()) {
        return at(".Groups: groups in an answer without GroupDefinitions", false);
      }
      group_index_ = 0;
      for (element group : groups) {
        if (auto ok = walk_group(group); !ok) return ok;
        ++*group_index_;
      }
      return {};
    }
    if (!page_.group_definitions.empty()) return {};
    // Nothing grouped: the period's Total is the row.
    object total;
    if (result["Total"].get_object().get(total) != simdjson::SUCCESS || total.size() == 0) {
      return {};
    }
    group_index_.reset();
    return walk_metrics(total, out_.keys.size());
  }

  Result<void> walk_group(element group) {
    array keys;
    if (group["Keys"].get_array().get(keys) != simdjson::SUCCESS) {
      return at(".Keys: expected an array of strings", true);
    }
    const size_t first_key = out_.keys.size();
    for (element key : keys) {
      std::string_view text;
      if (key.get_string().get(text) != simdjson::SUCCESS) {
        return at(".Keys: expected an array of strings", true);
      }
      out_.keys.push_back(text);
    }
    if (const size_t count = out_.keys.size() - first_key;
        count != page_.group_definitions.size()) {
      return at(".Keys: expected " + std::to_string(page_.group_definitions.size()) +
                    " keys, one per group definition, found " + std::to_string(count),
                true);
    }
    object metrics;
    if (group["Metrics"].get_object().get(metrics) != simdjson::SUCCESS) {
      return at(".Metrics: expected an object", true);
    }
    if (auto ok = walk_metrics(metrics, first_key); !ok) return ok;
    // A group without metrics is no row; its keys go too.
    if (out_.rows.empty() || out_.rows.back().first_key != first_key) out_.keys.resize(first_key);
    return {};
  }

  Result<void> walk_metrics(object metrics, size_t first_key) {
    const size_t first_metric = out_.metrics.size();
    for (auto [name, value] : metrics) {
      std::string_view amount;
      std::string_view unit;
      // A group's metrics sit under "Metrics"; a Total's directly under it.
      const std::string_view parent = group_index_ ? ".Metrics." : ".";
      if (value["Amount"].get_string().get(amount) != simdjson::SUCCESS ||
          value["Unit"].get_string().get(unit) != simdjson::SUCCESS) {
        return at(std::string(parent) + std::string(name) +
                      ": expected an object with Amount and Unit strings",
                  true);
      }
      if (!IsDecimal(amount)) {
        return at(std::string(parent) + std::string(name) + ".Amount: \"" +
                      std::string(amount.substr(0, 40)) + "\" is not a decimal number",
                  true);
      }
      out_.metrics.push_back({name, amount, unit});
    }
    if (const size_t count = out_.metrics.size() - first_metric; count > 0) {
      out_.rows.push_back({start_, end_, estimated_, first_key, first_metric, count});
    }
    return {};
  }

  CostAndUsagePage& page_;
  CollectedRows& out_;
  size_t period_index_ = 0;
  std::optional<size_t> group_index_;  // unset while reading a Total
  std::string_view start_;
  std::string_view end_;
  bool estimated_ = false;
};

Result<CostAndUsagePage> ReadPage(object top) {
  CostAndUsagePage page;
  if (auto field = top["GroupDefinitions"]; field.error() == simdjson::SUCCESS) {
    array definitions;
    if (field.get_array().get(definitions) != simdjson::SUCCESS) {
      return Fail("GroupDefinitions: expected an array");
    }
    for (element definition : definitions) {
      std::string_view type;
      std::string_view key;
      if (definition["Type"].get_string().get(type) != simdjson::SUCCESS ||
          definition["Key"].get_string().get(key) != simdjson::SUCCESS) {
        return Fail("GroupDefinitions: expected objects with Type and Key strings");
      }
      page.group_definitions.push_back({std::string(type), std::string(key)});
    }
  }
  if (auto field = top["DimensionValueAttributes"]; field.error() == simdjson::SUCCESS) {
    array attributes;
    if (field.get_array().get(attributes) != simdjson::SUCCESS) {
      return Fail("DimensionValueAttributes: expected an array");
    }
    for (element entry : attributes) {
      std::string_view value;
      std::string_view description;
      if (entry["Value"].get_string().get(value) == simdjson::SUCCESS &&
          entry["Attributes"]["description"].get_string().get(description) == simdjson::SUCCESS) {
        page.account_names.emplace(value, description);
      }
    }
  }
  if (auto field = top["NextPageToken"]; field.error() == simdjson::SUCCESS) {
    std::string_view token;
    if (!field.is_null() && field.get_string().get(token) != simdjson::SUCCESS) {
      return Fail("NextPageToken: expected a string");
    }
    page.next_page_token = std::string(token);
  }
  return page;
}

}  // namespace

struct CostAndUsageReader::Impl {
  simdjson::dom::parser parser;
  CollectedRows rows;
  // Kept between files: a backfill reads many files of similar size.
  std::unique_ptr<char[]> buffer;
  size_t capacity = 0;

  char* reserve(size_t size) {
    if (size + simdjson::SIMDJSON_PADDING > capacity) {
      const size_t grown = std::max(size + simdjson::SIMDJSON_PADDING, capacity * 3 / 2);
      auto bigger = std::make_unique<char[]>(grown);
      if (capacity > 0) std::memcpy(bigger.get(), buffer.get(), capacity);
      buffer = std::move(bigger);
      capacity = grown;
    }
    return buffer.get();
  }

  // Reads the whole file into `buffer`; returns its size. Regular files are read in one go,
  // pipes (stdin) in chunks.
  Result<size_t> load(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(path + ": " + std::strerror(errno));
    struct stat info {};
    size_t size = 0;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
      reserve(static_cast<size_t>(info.st_size));
    }
    while (true) {
      if (size + simdjson::SIMDJSON_PADDING >= capacity) reserve(size + (1 << 20));
      const ssize_t n =
          ::read(fd, buffer.get() + size, capacity - simdjson::SIMDJSON_PADDING - size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        ::close(fd);
        return Fail(path + ": " + std::strerror(error));
      }
      if (n == 0) break;
      size += static_cast<size_t>(n);
    }
    ::close(fd);
    return size;
  }

  Result<CostAndUsagePage> read(const simdjson::padded_string_view& json,
                                const RowCallback& on_row) {
    element root;
    if (auto error = parser.parse(json).get(root); error != simdjson::SUCCESS) {
      return Fail(std::string("not valid JSON: ") + simdjson::error_message(error));
    }
    object top;
    if (root.get_object().get(top) != simdjson::SUCCESS) {
      return Fail("not a GetCostAndUsage answer: expected a JSON object");
    }
    auto page = ReadPage(top);
    if (!page) return page;
    rows.clear();
    if (auto ok = Walker(*page, rows).walk(root); !ok) return ok.error();
    rows.emit(*page, on_row);
    return page;
  }
};

CostAndUsageReader::CostAndUsageReader() : impl_(std::make_unique<Impl>()) {}
CostAndUsageReader::~CostAndUsageReader() = default;

Result<CostAndUsagePage> CostAndUsageReader::read(std::string_view json,
                                                  const RowCallback& on_row) {
  char* data = impl_->reserve(json.size());
  std::memcpy(data, json.data(), json.size());
  return impl_->read(simdjson::padded_string_view(data, json.size(), impl_->capacity), on_row);
}

namespace {

// A regular file mapped read-only with at least SIMDJSON_PADDING readable zero bytes after its
// end, which is what the parser needs: an anonymous mapping of the padded size is laid down
// first and the file mapped over its start. Spares copying the file and zeroing a buffer.
class MappedFile {
 public:
  MappedFile(int fd, size_t size) {
    const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    length_ = (size + simdjson::SIMDJSON_PADDING + page - 1) / page * page;
    void* region = ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return;
    if (::mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0) ==
        MAP_FAILED) {
      ::munmap(region, length_);
      return;
    }
    data_ = static_cast<const char*>(region);
    size_ = size;
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), length_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] bool ok() const { return data_ != nullptr; }
  [[nodiscard]] simdjson::padded_string_view view() const {
    return simdjson::padded_string_view(data_, size_, length_);
  }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t length_ = 0;
};

}  // namespace

Result<CostAndUsagePage> CostAndUsageReader::read_file(const std::string& path,
                                                       const RowCallback& on_row) {
  {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(path + ": " + std::strerror(errno));
    struct stat info {};
    const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0;
    if (regular) {
      const MappedFile file(fd, static_cast<size_t>(info.st_size));
      ::close(fd);
      if (file.ok()) {
        auto page = impl_->read(file.view(), on_row);
        if (!page) return WithContext(path, page.error());
        return page;
      }
    } else {
      ::close(fd);
    }
  }
  // Pipes, and anything that cannot be mapped, are read into a buffer.
  auto size = impl_->load(path);
  if (!size) return size.error();
  auto page = impl_->read(simdjson::padded_string_view(impl_->buffer.get(), *size, impl_->capacity),
                          on_row);
  if (!page) return WithContext(path, page.error());
  return page;
}

}  // namespace costwatch::ce
