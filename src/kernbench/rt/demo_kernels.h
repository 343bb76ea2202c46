// Two small kernels written directly against ProgramContext (before the kernel language exists):
// they translate VAs through the PE's MMU, move blocks between HBM and a TCM scratch by DMA and
// charge the vector unit, so they are timed like real kernels. Used by `kernbench list`, tests and
// as a model for hand-written kernels.
#pragma once

#include "kernbench/rt/kernel_registry.h"

namespace kernbench::rt {

/// fill_index(out): every element of `out` (any dtype but bool) becomes its flat index in the
/// whole tensor. Each program of the PE's grid takes one contiguous block of the local shard.
void fill_index_kernel(ProgramContext& ctx);
/// vector_add(a, b, out): out = a + b element-wise, f32, same shapes; blocks as fill_index.
void vector_add_kernel(ProgramContext& ctx);
/// Adds "fill_index" and "vector_add" to `registry`.
void register_demo_kernels(KernelRegistry& registry);

}  // namespace kernbench::rt
