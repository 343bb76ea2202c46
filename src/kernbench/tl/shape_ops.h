// Shape manipulation (TRITON.md §2.2): reshape, trans/permute, broadcast_to, broadcast,
// expand_dims. Order-preserving ones share the buffer; trans moves elements.
#pragma once

#include <initializer_list>
#include <span>
#include <utility>

#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// Same numel, row-major order kept; every dim a power of two.
Tile reshape(const Tile& x, Shape shape);
/// Reshape to [numel].
Tile ravel(const Tile& x);
/// Axis permutation: result dim i is input dim dims[i].
Tile permute(const Tile& x, std::span<const int> dims);
Tile permute(const Tile& x, std::initializer_list<int> dims);
/// Transpose: (1, 0) for 2-D; for rank 3, swaps the last two dims (batched matrices).
Tile trans(const Tile& x);
/// Same-rank broadcast (a scalar splats; each dim equal or 1), materialised.
Tile broadcast_to(const Tile& x, Shape shape);
/// Both operands broadcast to their common (numpy-style) shape.
std::pair<Tile, Tile> broadcast(const Tile& a, const Tile& b);
/// Inserts a size-1 dim at `axis` of the result (negative axes wrap on the result's rank).
Tile expand_dims(const Tile& x, int axis);

}  // namespace kernbench::tl
