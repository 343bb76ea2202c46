// Tiles from nothing (TRITON.md §2.1): arange, full, zeros, and the `_like` forms. Shapes must
// be power-of-two blocks, as in Triton; values are cast to the asked dtype like a cast would.
#pragma once

#include <cstdint>
#include <type_traits>

#include "kernbench/tl/dtype_promotion.h"
#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// i32 block [end - start] holding start .. end - 1; end - start a power of two, end > start.
Tile arange(std::int64_t start, std::int64_t end);
/// A block of `shape` (rank 0 allowed) holding `value` cast to `dtype`.
Tile full(Shape shape, WeakScalar value, DType dtype);
template <class N>
requires std::is_arithmetic_v<N> Tile full(Shape shape, N value, DType dtype) {
  WeakScalar w;
  if constexpr (std::is_same_v<N, bool>) {
    w = {TypeKind::boolean, value ? 1 : 0, 0.0};
  } else if constexpr (std::is_integral_v<N>) {
    w = {TypeKind::integer, static_cast<std::int64_t>(value), 0.0};
  } else {
    w = {TypeKind::floating, 0, static_cast<double>(value)};
  }
  return full(shape, w, dtype);
}
/// full(shape, 0, dtype).
Tile zeros(Shape shape, DType dtype);
/// zeros of x's shape and dtype.
Tile zeros_like(const Tile& x);
/// `value` in x's shape and dtype.
template <class N>
requires std::is_arithmetic_v<N> Tile full_like(const Tile& x, N value) {
  return full(x.shape(), value, x.dtype()).with_program(x.program());
}

}  // namespace kernbench::tl
