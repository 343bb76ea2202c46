#include "benches/bench_result.h"

#include <algorithm>

namespace kernbench::benches {

double Roofline::bound_flops() const { return std::min(matrix_peak_flops, memory_bound_flops); }

std::string Roofline::bound_name() const {
  return matrix_peak_flops <= memory_bound_flops ? "matrix" : "memory";
}

namespace {
double per_second(double amount, base::SimTime time) {
  if (time.ps() <= 0) return 0;
  return amount / (static_cast<double>(time.ps()) * 1e-12);
}
}  // namespace

double BenchResult::flops_per_second() const { return per_second(flops, time); }
double BenchResult::bytes_per_second() const { return per_second(bytes, time); }

}  // namespace kernbench::benches
