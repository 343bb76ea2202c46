// Triton tutorial 03 (matrix multiplication) in the kernel language: C = A @ B with f16 inputs
// and an f32 accumulator, tiled [block_m, block_n] over the PE's rows of A, a K loop that issues
// the next tiles' loads before the current dot (what Triton's pipelining does), ragged edges
// masked to zero.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "benches/bench_context.h"
#include "benches/bench_result.h"
#include "benches/kernel_span.h"
#include "benches/spread.h"

#include "kernbench/rt/program_context.h"
#include "kernbench/rt/session.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

/// Tile sizes of the matmul kernel (powers of two).
struct MatmulTiles {
  std::int64_t m = 64;
  std::int64_t n = 64;
  std::int64_t k = 64;
};

/// The problem: [m, k] @ [k, n].
struct MatmulShape {
  std::int64_t m = 0;
  std::int64_t n = 0;
  std::int64_t k = 0;
};

/// The kernel: arguments (a f16 [M, K], b f16 [K, N], c f32 [M, N]); grid
/// (cdiv(local M, tiles.m), cdiv(N, tiles.n)).
rt::KernelFn matmul_kernel(MatmulTiles tiles);
/// The plain C++ reference (products and sums in double).
std::vector<double> matmul_reference(std::span<const float> a, std::span<const float> b,
                                     MatmulShape shape);
/// The operands of a matmul bench: A and C split by rows over the spread, B copied to every PE;
/// A and B hold seeded f16 values (kept on the host for the check) unless timing only.
struct MatmulOperands {
  std::vector<float> a_values, b_values;  // empty when timing only
  rt::Tensor a, b, c;
};
MatmulOperands matmul_operands(rt::Session& session, MatmulShape shape, Spread spread,
                               DataMode data);
/// The figures of a matmul bench run on `spec`: its time and PEs, FLOPs, the bytes each PE's
/// programs moved (`bytes_per_pe`), the matrix peak, the HBM share and the roofline; no check.
BenchResult matmul_result(std::string name, MatmulShape shape, const KernelSpan& span,
                          const topo::TopologySpec& spec, double bytes_per_pe);
/// C against the reference when the operands hold data; "not checked" otherwise.
report::CheckRecord matmul_check(const MatmulOperands& operands, MatmulShape shape);
/// A @ B on seeded f16 data: A and C split by rows over `spread`, B copied to every PE; checked,
/// with the roofline of the PEs that ran it.
BenchResult run_matmul(rt::Session& session, MatmulShape shape, Spread spread,
                       MatmulTiles tiles = {}, DataMode data = DataMode::checked);

}  // namespace kernbench::benches
