// Triton tutorial 02 (fused softmax) in the kernel language: row-wise softmax of a 2-D f32
// tensor, one program per block of rows of the PE's shard, each row read once and written once.
// Columns pad to a power of two with -inf, rows past the shard are masked.
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

/// The kernel: arguments (x, y), f32 [rows, cols]; grid cdiv(local rows, block_rows).
rt::KernelFn softmax_kernel(std::int64_t block_rows);
/// The plain C++ reference (in double, max-subtracted).
std::vector<double> softmax_reference(std::span<const float> x, std::int64_t rows,
                                      std::int64_t cols);
/// Softmax of seeded [rows, cols] f32 data, rows split over `spread`, checked.
BenchResult run_softmax(rt::Session& session, std::int64_t rows, std::int64_t cols, Spread spread,
                        DataMode data = DataMode::checked);

}  // namespace kernbench::benches
