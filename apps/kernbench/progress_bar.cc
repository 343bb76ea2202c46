#include "progress_bar.h"

#include <string>

#include <fmt/format.h>
#include <unistd.h>

namespace kernbench::apps {

namespace {
constexpr std::size_t kWidth = 30;
}

ProgressBar::ProgressBar(const char* label, std::size_t total, bool enabled, std::FILE* out)
    : label_(label), total_(total), enabled_(enabled && total > 0), out_(out) {
  if (enabled_) draw();
}

ProgressBar::~ProgressBar() {
  if (enabled_) {
    fmt::print(out_, "\r{:<{}}\r", "", kWidth + 40);
    std::fflush(out_);
  }
}

void ProgressBar::advance() {
  std::lock_guard lock(mutex_);
  ++done_;
  if (enabled_) draw();
}

bool ProgressBar::wanted(bool quiet) { return !quiet && isatty(fileno(stderr)) == 1; }

void ProgressBar::draw() {
  const std::size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
  fmt::print(out_, "\r{} [{}{}] {}/{}", label_, std::string(filled, '#'),
             std::string(kWidth - filled, '.'), done_, total_);
  std::fflush(out_);
}

}  // namespace kernbench::apps
