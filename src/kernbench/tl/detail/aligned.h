// Internal: an operand brought to an op's result shape, either as a splat (one element read for
// every lane, step 0) or as a materialised tile of the full shape (step 1), so the typed loops
// only ever walk flat arrays.
#pragma once

#include <cstdint>

#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

struct Aligned {
  Tile tile;
  std::int64_t step = 1;  // 0: one element splatted over the result
};

/// `t` numpy-broadcast to `shape` (already known compatible).
Aligned align(const Tile& t, const Shape& shape);

/// Applies f(a, b) element-wise: Out::store(f(E::load(a[i]), E::load(b[i]))).
template <class E, class Out, class F>
void loop2(const Aligned& a, const Aligned& b, Tile& out, F f) {
  using S = typename E::Storage;
  const S* pa = reinterpret_cast<const S*>(a.tile.data());
  const S* pb = reinterpret_cast<const S*>(b.tile.data());
  auto* po = reinterpret_cast<typename Out::Storage*>(out.mutable_data());
  const std::int64_t n = out.numel();
  if (a.step == 1 && b.step == 1) {
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i]), E::load(pb[i])));
  } else if (b.step == 0) {
    const auto y = E::load(pb[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i * a.step]), y));
  } else {
    const auto x = E::load(pa[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(x, E::load(pb[i])));
  }
}

}  // namespace kernbench::tl::detail
