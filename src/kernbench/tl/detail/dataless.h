// Internal: what ops do with data-less tiles (timing only, Tile::has_data): skip the arithmetic
// and make a data-less result of the right shape and dtype, charged as any.
#pragma once

#include <cstring>

#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// Makes `out` (a result an op has just created) data-less: its elements read as zeros, so a
/// later op that copies them stays deterministic.
inline void drop_elements(Tile& out) {
  std::memset(out.mutable_data(), 0, static_cast<std::size_t>(out.numel()) * out.element_bytes());
  out.drop_data();
}

}  // namespace kernbench::tl::detail
