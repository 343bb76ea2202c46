// Math functions (TRITON.md §2.4): f32 / f64 only, like Triton's math.py (f16 / bf16 raise, so
// kernels stay portable: cast first). Computed exactly in double and rounded once to the dtype,
// rather than the GPU's fast approximations (TRITON.md §5). abs takes every numeric dtype.
#pragma once

#include "kernbench/tl/tile.h"

namespace kernbench::tl {

Tile exp(const Tile& x);
Tile exp2(const Tile& x);
Tile log(const Tile& x);
Tile log2(const Tile& x);
Tile sqrt(const Tile& x);
/// 1 / sqrt(x).
Tile rsqrt(const Tile& x);
/// 1 / (1 + exp(-x)).
Tile sigmoid(const Tile& x);
/// |x| for any numeric dtype (unsigned and bool unchanged).
Tile abs(const Tile& x);

}  // namespace kernbench::tl
