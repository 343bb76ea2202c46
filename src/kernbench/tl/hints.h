// Compiler hints and checks (TRITON.md §2.1): multiple_of and max_contiguous return their input
// (they only help a compiler); assume is always checked here (TRITON.md §5: a false assumption is
// undefined behaviour on a GPU, so we report it instead); debug_barrier has nothing to order
// while a PE runs its programs one after another.
#pragma once

#include <string_view>

#include "kernbench/tl/tile.h"

namespace kernbench::tl {

/// Returns x unchanged.
inline Tile multiple_of(const Tile& x, std::int64_t /*values*/) { return x; }
inline Tile max_contiguous(const Tile& x, std::int64_t /*values*/) { return x; }
/// SemanticError naming `message` unless every element of `cond` is non-zero.
void assume(const Tile& cond, std::string_view message = "assume failed");
/// No-op (programs of a PE run sequentially).
inline void debug_barrier() {}

}  // namespace kernbench::tl
