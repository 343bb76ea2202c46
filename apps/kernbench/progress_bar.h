// A progress bar on stderr for long runs ("sweep  [#####.....] 5/10"), redrawn in place; off when
// stderr is not a terminal or the user asked for --quiet, so logs and pipes stay clean.
#pragma once

#include <cstddef>
#include <cstdio>
#include <mutex>

namespace kernbench::apps {

class ProgressBar {
 public:
  /// A bar for `total` steps, drawn on `out` only when `enabled`.
  ProgressBar(const char* label, std::size_t total, bool enabled, std::FILE* out = stderr);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  /// Clears the bar's line.
  ~ProgressBar();

  /// One more step done (any thread).
  void advance();
  /// True if stderr is a terminal and `quiet` is false: when a bar should be drawn.
  static bool wanted(bool quiet);

 private:
  void draw();

  const char* label_;
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace kernbench::apps
