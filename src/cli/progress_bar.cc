#include "cli/progress_bar.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "cli/status_format.h"
#include "store/state_store.h"

namespace costwatch::cli {
namespace {

constexpr int kDefaultWidth = 80;
constexpr int kMaxBarWidth = 30;
constexpr int kMinBarWidth = 10;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

// 12345678 -> "12,345,678": rows of a large organisation run into the millions.
std::string Grouped(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return value < 0 ? "-" + digits : digits;
}

std::string Plural(long long count, std::string_view one, std::string_view many) {
  return Grouped(count) + " " + std::string(count == 1 ? one : many);
}

// Display columns of UTF-8 text: one per code point (the bar's blocks and ASCII are narrow).
int Columns(std::string_view text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string Bar(int done, int total, int width, bool unicode) {
  const int filled = total > 0 ? std::min(width, done * width / total) : 0;
  std::string bar = "[";
  for (int i = 0; i < width; ++i) bar += i < filled ? (unicode ? "█" : "#") : (unicode ? "░" : "-");
  return bar + "]";
}

bool UnicodeLocale() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    const std::string_view locale(value);
    return locale.find("UTF-8") != std::string_view::npos ||
           locale.find("utf8") != std::string_view::npos ||
           locale.find("UTF8") != std::string_view::npos ||
           locale.find("utf-8") != std::string_view::npos;
  }
  return false;
}

int TerminalWidth() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return kDefaultWidth;
}

}  // namespace

std::string FormatBackfillProgress(const BackfillProgress& progress, int width, bool unicode) {
  // The line never reaches the last column: some terminals wrap there.
  const int room = std::max(0, width - 1);
  const std::string months = "backfill " + std::to_string(progress.months_done) + "/" +
                             std::to_string(progress.months_total) + " months";
  const std::string cost =
      "(" + FormatCents(progress.paid_requests * store::kCentsPerRequest) + ")";
  const std::string rows_pages =
      Plural(progress.rows, "row", "rows") + ", " + Plural(progress.pages, "page", "pages") + ", ";
  const std::string figures =
      rows_pages + Plural(progress.paid_requests, "paid request", "paid requests") + " " + cost;
  const std::string with_current = "  " + progress.current + "  " + figures;

  // The bar goes first as the terminal narrows, then what is being pulled, then words.
  const int bar_room = room - Columns(months) - Columns(with_current) - 3;
  if (bar_room >= kMinBarWidth) {
    return "backfill " +
           Bar(progress.months_done, progress.months_total, std::min(kMaxBarWidth, bar_room),
               unicode) +
           months.substr(std::string_view("backfill").size()) + with_current;
  }
  std::string short_figures = rows_pages;
  short_figures += Grouped(progress.paid_requests);
  short_figures += " paid ";
  short_figures += cost;
  for (const std::string& tail : {with_current, "  " + figures, "  " + short_figures}) {
    if (Columns(months) + Columns(tail) <= room) return months + tail;
  }
  return months.substr(0, static_cast<size_t>(room));  // ASCII: a byte is a column
}

ProgressLine::ProgressLine() {
  const char* term = std::getenv("TERM");
  enabled_ = ::isatty(STDERR_FILENO) == 1 && (term == nullptr || std::string_view(term) != "dumb");
  unicode_ = UnicodeLocale();
}

ProgressLine::~ProgressLine() {
  erase();
}

void ProgressLine::show(const BackfillProgress& progress, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  // Carriage return, the line, then erase whatever a longer earlier line left to the right.
  const std::string line =
      "\r" + FormatBackfillProgress(progress, TerminalWidth(), unicode_) + "\x1b[K";
  // A progress line that does not get through is not worth an error.
  (void)std::fwrite(line.data(), 1, line.size(), stderr);
  (void)std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::erase() {
  if (!drawn_) return;
  (void)std::fputs("\r\x1b[K", stderr);
  (void)std::fflush(stderr);
  drawn_ = false;
}

}  // namespace costwatch::cli
