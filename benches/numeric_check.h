// Comparing a kernel's output with its plain C++ reference within the output dtype's tolerance,
// and the seeded inputs the benches feed their kernels (deterministic: same seed, same values).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kernbench/base/dtype.h"
#include "kernbench/report/run_record.h"

namespace kernbench::benches {

/// |got - want| <= atol + rtol * |want| for every element.
struct Tolerance {
  double atol = 0;
  double rtol = 0;
};

/// The verdict of one comparison.
struct CheckResult {
  double max_error = 0;  // max |got - want|
  bool pass = true;
};

/// Compares element by element; a size mismatch or a NaN where the reference has none fails.
CheckResult check_close(std::span<const float> got, std::span<const double> want,
                        Tolerance tolerance);
/// The report's record of a comparison: checked, the verdict, and a line naming the tolerance.
report::CheckRecord check_record(const CheckResult& result, Tolerance tolerance);
/// The record of a bench that did not check (timing-only): "not checked".
report::CheckRecord not_checked();
/// `n` values uniform in [lo, hi) from a seeded generator, rounded to `dtype` (f16 and bf16 to
/// nearest even), so the reference sees exactly what the kernel loads.
std::vector<float> random_values(std::size_t n, std::uint32_t seed, base::DType dtype,
                                 float lo = -1.0f, float hi = 1.0f);

}  // namespace kernbench::benches
