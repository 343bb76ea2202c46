// Internal: an operand brought to an op's result shape, either as a splat (one element read for
// every lane, step 0) or as a flat array of the full shape (step 1), so the typed loops only ever
// walk flat arrays.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// What a typed loop reads: `step` 1 walks a flat array of the result's shape, 0 reads its one
/// element for every lane.
struct Input {
  const std::byte* data = nullptr;
  std::int64_t step = 1;
};

struct Aligned {
  Tile tile;
  std::int64_t step = 1;  // 0: one element splatted over the result

  Input input() const { return {tile.data(), step}; }
};

/// `t` numpy-broadcast to `shape` (already known compatible); materialised unless it is a splat.
Aligned align(const Tile& t, const Shape& shape);

/// Applies f(a, b) to `n` lanes: out[i] = Out::store(f(E::load(a[i]), E::load(b[i]))). Each mix of
/// steps gets its own loop with constant strides, so the compiler vectorises it.
template <class E, class Out, class F>
void loop2(Input a, Input b, std::byte* out, std::int64_t n, F f) {
  using S = typename E::Storage;
  const S* pa = reinterpret_cast<const S*>(a.data);
  const S* pb = reinterpret_cast<const S*>(b.data);
  auto* po = reinterpret_cast<typename Out::Storage*>(out);
  if (a.step == 1 && b.step == 1) {
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i]), E::load(pb[i])));
  } else if (a.step == 1) {
    const auto y = E::load(pb[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(E::load(pa[i]), y));
  } else if (b.step == 1) {
    const auto x = E::load(pa[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(x, E::load(pb[i])));
  } else {  // two splats: one lane
    const auto x = E::load(pa[0]), y = E::load(pb[0]);
    for (std::int64_t i = 0; i < n; ++i) po[i] = Out::store(f(x, y));
  }
}

}  // namespace kernbench::tl::detail
