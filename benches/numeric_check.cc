#include "benches/numeric_check.h"

#include <cmath>
#include <random>

#include <fmt/format.h>

#include "kernbench/rt/host_tensor.h"

namespace kernbench::benches {

CheckResult check_close(std::span<const float> got, std::span<const double> want,
                        Tolerance tolerance) {
  CheckResult result;
  if (got.size() != want.size()) return {0, false};
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double error = std::abs(static_cast<double>(got[i]) - want[i]);
    if (std::isnan(error)) {
      result.pass = false;
      continue;
    }
    result.max_error = std::max(result.max_error, error);
    if (error > tolerance.atol + tolerance.rtol * std::abs(want[i])) result.pass = false;
  }
  return result;
}

report::CheckRecord check_record(const CheckResult& result, Tolerance tolerance) {
  report::CheckRecord r;
  r.checked = true;
  r.pass = result.pass;
  r.max_error = result.max_error;
  r.detail = fmt::format("max |error| {:.3g}, allowed {:.3g} + {:.3g} x |reference|",
                         result.max_error, tolerance.atol, tolerance.rtol);
  return r;
}

report::CheckRecord not_checked() {
  report::CheckRecord r;
  r.detail = "not checked (timing only)";
  return r;
}

std::vector<float> random_values(std::size_t n, std::uint32_t seed, base::DType dtype, float lo,
                                 float hi) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> uniform(lo, hi);
  std::vector<float> values(n);
  for (float& v : values) v = uniform(generator);
  const auto count = static_cast<std::int64_t>(n);
  return rt::HostTensor::from_floats(dtype, values, {count}).to_floats();
}

}  // namespace kernbench::benches
