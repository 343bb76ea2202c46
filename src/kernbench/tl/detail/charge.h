// Internal: the one place ops report work to the program that computed a tile (the timing hook).
// Tiles with no program are constants built outside any program (free, as a compiler folds them).
#pragma once

#include <cstdint>

#include "kernbench/base/dtype.h"
#include "kernbench/tl/tile.h"
#include "kernbench/tl/work.h"

namespace kernbench::tl::detail {

/// The program of the operands (the first one that has one), or null.
Program* program_of(const Tile& a, const Tile* b = nullptr, const Tile* c = nullptr);
/// Charges `elements` of vector work of `cls` on `dtype` to `program` (no-op when null).
void charge_vector(Program* program, VectorClass cls, base::DType dtype, std::int64_t elements);
/// Charges a matrix-unit product of (batch x m x n x k) MACs on inputs of `dtype`.
void charge_matrix(Program* program, base::DType dtype, std::int64_t batch, std::int64_t m,
                   std::int64_t n, std::int64_t k);

}  // namespace kernbench::tl::detail
