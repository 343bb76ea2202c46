// Triton tutorial 05 (layer norm, forward) in the kernel language: per row, mean and variance in
// f32, y = (x - mean) * rstd * w + b, with the row's mean and rstd stored for a backward pass.
// One program per block of rows of the PE's shard; columns pad to a power of two (masked).
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

/// The kernel: arguments (x f16 [rows, cols], w f16 [cols], b f16 [cols], y f16 [rows, cols],
/// mean f32 [rows], rstd f32 [rows], eps); grid cdiv(local rows, block_rows).
rt::KernelFn layer_norm_kernel(std::int64_t block_rows);
/// The plain C++ reference for y (in double).
std::vector<double> layer_norm_reference(std::span<const float> x, std::span<const float> w,
                                         std::span<const float> b, std::int64_t rows,
                                         std::int64_t cols, double eps);
/// Layer norm of seeded f16 data, rows split over `spread`, w and b copied to every PE; checked.
BenchResult run_layer_norm(rt::Session& session, std::int64_t rows, std::int64_t cols,
                           Spread spread, DataMode data = DataMode::checked);

}  // namespace kernbench::benches
