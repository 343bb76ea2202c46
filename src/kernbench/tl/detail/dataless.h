// Internal: what ops do with data-less tiles (timing only, Tile::has_data): skip the arithmetic
// and make a data-less result of the right shape and dtype, charged as any.
#pragma once

#include "kernbench/tl/tile.h"

namespace kernbench::tl::detail {

/// Makes `out` (a result an op has just created) data-less: its elements read as zeros, so a
/// later op that copies them stays deterministic (zeroed only if something reads them).
inline void drop_elements(Tile& out) { out.drop_elements(); }

}  // namespace kernbench::tl::detail
