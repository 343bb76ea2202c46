#include "kernbench/tl/hints.h"

#include <fmt/format.h>

#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

void assume(const Tile& cond, std::string_view message) {
  for (std::int64_t i = 0; i < cond.numel(); ++i)
    if (cond.value(i) == 0.0)
      throw SemanticError(
          fmt::format("assume: {} (element {} of {} is false)", message, i, cond.describe()));
}

}  // namespace kernbench::tl
