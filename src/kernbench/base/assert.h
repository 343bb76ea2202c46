// KB_ASSERT: checks an invariant of KernBench's own code. A failure is our bug, never the user's
// (user mistakes get typed errors, see error.h); it throws InternalError naming file and line.
#pragma once

#include <string_view>

namespace kernbench::base::detail {
[[noreturn]] void assertion_failed(const char* condition, std::string_view message,
                                   const char* file, int line);
}  // namespace kernbench::base::detail

#define KB_ASSERT(condition, message)                                                       \
  do {                                                                                      \
    if (!(condition)) [[unlikely]]                                                          \
      ::kernbench::base::detail::assertion_failed(#condition, message, __FILE__, __LINE__); \
  } while (false)
