// Triton tutorial 06 (fused attention, forward) in the kernel language, one head: softmax(Q K^T /
// sqrt(d)) V computed flash-style, a block of queries per program streaming key/value blocks with
// an online softmax (running max and sum, f32), P cast to f16 for the second dot as Triton does.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "benches/bench_context.h"
#include "benches/bench_result.h"
#include "benches/spread.h"

#include "kernbench/rt/program_context.h"
#include "kernbench/rt/session.h"

namespace kernbench::benches {

/// The problem: `queries` x `keys` scores over a head dimension `head_dim` (a power of two).
struct AttentionShape {
  std::int64_t queries = 0;
  std::int64_t keys = 0;
  std::int64_t head_dim = 0;
};

/// The kernel: arguments (q f16 [M, D], k f16 [N, D], v f16 [N, D], out f16 [M, D]); grid
/// cdiv(local M, block_m).
rt::KernelFn attention_kernel(std::int64_t block_m, std::int64_t block_n);
/// The plain C++ reference (in double, max-subtracted softmax).
std::vector<double> attention_reference(std::span<const float> q, std::span<const float> k,
                                        std::span<const float> v, AttentionShape shape);
/// Attention on seeded f16 data: Q and out split by rows over `spread`, K and V copied to every
/// PE; checked.
BenchResult run_attention(rt::Session& session, AttentionShape shape, Spread spread,
                          DataMode data = DataMode::checked);

}  // namespace kernbench::benches
