#include "kernbench/tl/operand.h"

#include <limits>

#include <fmt/format.h>

#include "kernbench/tl/semantic_error.h"

namespace kernbench::tl {

std::string Operand::describe() const {
  if (!is_weak()) return tile_->describe();
  switch (weak_.kind) {
    case TypeKind::boolean: return fmt::format("literal {}", weak_.int_value != 0);
    case TypeKind::integer: return fmt::format("literal {}", weak_.int_value);
    case TypeKind::floating: return fmt::format("literal {}", weak_.float_value);
  }
  return "literal";
}

void Operand::check_u64(std::uint64_t value) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw SemanticError(fmt::format(
        "literal {} needs u64, which KernBench has no dtype for (values up to 2^63 - 1)", value));
}

}  // namespace kernbench::tl
