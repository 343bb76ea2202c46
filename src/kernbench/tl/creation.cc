#include "kernbench/tl/creation.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "kernbench/base/error.h"
#include "kernbench/tl/detail/convert.h"

namespace kernbench::tl {

Tile arange(std::int64_t start, std::int64_t end) {
  if (end <= start)
    throw base::ShapeError(
        fmt::format("arange({}, {}): end must be greater than start", start, end));
  if (start < std::numeric_limits<std::int32_t>::min() ||
      end > std::int64_t{std::numeric_limits<std::int32_t>::max()} + 1)
    throw base::ShapeError(fmt::format("arange({}, {}): bounds must fit in i32", start, end));
  const Shape s{end - start};
  check_block_shape(s, fmt::format("arange({}, {})", start, end));
  Tile t(detail::kUninitialized, s, DType::i32);
  auto* out = reinterpret_cast<std::int32_t*>(t.mutable_data());
  for (std::int64_t i = 0; i < end - start; ++i) out[i] = static_cast<std::int32_t>(start + i);
  return t;
}

Tile full(Shape shape, WeakScalar value, DType dtype) {
  check_block_shape(shape, "full");
  Tile t(detail::kUninitialized, shape, dtype);
  detail::dispatch(dtype, [&](auto e) {
    using E = decltype(e);
    const typename E::Storage v = detail::convert_weak<E>(value);
    auto* out = reinterpret_cast<typename E::Storage*>(t.mutable_data());
    std::fill_n(out, t.numel(), v);
  });
  return t;
}

Tile zeros(Shape shape, DType dtype) { return full(shape, WeakScalar{}, dtype); }

Tile zeros_like(const Tile& x) { return zeros(x.shape(), x.dtype()).with_program(x.program()); }

}  // namespace kernbench::tl
