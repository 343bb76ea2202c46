#include "benches/bench_result.h"

#include <algorithm>

namespace kernbench::benches {

double Roofline::bound_flops() const { return std::min(matrix_peak_flops, memory_bound_flops); }

std::string Roofline::bound_name() const {
  return matrix_peak_flops <= memory_bound_flops ? "matrix" : "memory";
}

double BenchResult::rate() const {
  if (time.ps() <= 0) return 0;
  return work / (static_cast<double>(time.ps()) * 1e-12);
}

}  // namespace kernbench::benches
