// A persistent matmul (the idea of Triton tutorial 09): one program per PE keeps the whole of B in
// TCM and streams blocks of whole rows of A through the matrix unit, loading the next block while
// the current one multiplies. Whole rows and a whole B are contiguous, so each page is walked
// once: the kernel that approaches the roofline when B fits in TCM.
#pragma once

#include <cstdint>

#include "benches/bench_result.h"
#include "benches/matmul.h"
#include "benches/spread.h"

#include "kernbench/rt/program_context.h"
#include "kernbench/rt/session.h"

namespace kernbench::benches {

/// The kernel: arguments (a f16 [M, K], b f16 [K, N], c f32 [M, N]); grid 1 per PE; K and N pad
/// to powers of two (B's padded tile must fit in the TCM with two A blocks and a C block).
rt::KernelFn matmul_persistent_kernel(std::int64_t block_m);
/// A @ B on seeded f16 data as run_matmul, with the persistent kernel; the roofline counts A, B
/// and C once per PE.
BenchResult run_matmul_persistent(rt::Session& session, MatmulShape shape, Spread spread,
                                  std::int64_t block_m = 128, DataMode data = DataMode::checked);

}  // namespace kernbench::benches
