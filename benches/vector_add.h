// Triton tutorial 01 (vector addition) in the kernel language: out = x + y, one program per
// block of the PE's shard, the ragged last block masked.
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

/// The kernel: arguments (x, y, out), f32, 1-D; grid cdiv(local numel, block).
rt::KernelFn vector_add_kernel(std::int64_t block = 1024);
/// The plain C++ reference.
std::vector<double> vector_add_reference(std::span<const float> x, std::span<const float> y);
/// Adds two seeded f32 vectors of `n` elements split over `spread` and checks the sum.
BenchResult run_vector_add(rt::Session& session, std::int64_t n, Spread spread,
                           DataMode data = DataMode::checked);

}  // namespace kernbench::benches
