#include "benches/softmax.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/numeric_check.h"
#include "benches/peaks.h"
#include "benches/suite_kernels.h"

#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

namespace kernbench::benches {

using base::DType;

rt::KernelFn softmax_kernel(std::int64_t block_rows) {
  return tl::kernel([block_rows](tl::Program& p, tl::Pointer in, tl::Pointer out) {
    using namespace tl;
    const rt::TensorArg& x = in.arg();
    const std::int64_t rows = x.shape[0];
    const std::int64_t cols = x.shape[1];
    const Tile r = p.program_id(0) * block_rows + arange(0, block_rows);
    const Tile c = arange(0, next_power_of_2(cols));
    const Tile mask = (r.col() < rows) & (c.row() < cols);
    const Tile offsets = r.col() * x.strides[0] + c.row();
    // -inf padding leaves each row's max and sum unchanged (exp(-inf) = 0).
    const Tile v = load(in + offsets, mask, -std::numeric_limits<double>::infinity());
    const Tile numerator = exp(v - max(v, {.axis = 1, .keep_dims = true}));
    store(out + offsets, numerator / sum(numerator, {.axis = 1, .keep_dims = true}), mask);
  });
}

std::vector<double> softmax_reference(std::span<const float> x, std::int64_t rows,
                                      std::int64_t cols) {
  std::vector<double> out(x.size());
  const auto n = static_cast<std::size_t>(cols);
  for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r) {
    const float* row = x.data() + r * n;
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < n; ++j) m = std::max(m, static_cast<double>(row[j]));
    double total = 0;
    for (std::size_t j = 0; j < n; ++j) total += std::exp(row[j] - m);
    for (std::size_t j = 0; j < n; ++j) out[r * n + j] = std::exp(row[j] - m) / total;
  }
  return out;
}

BenchResult run_softmax(rt::Session& session, std::int64_t rows, std::int64_t cols, Spread spread,
                        DataMode data) {
  constexpr std::int64_t kBlockRows = kSoftmaxBlockRows;
  const bool checked = data == DataMode::checked;
  const std::vector<float> x =
      checked ? random_values(static_cast<std::size_t>(rows * cols), 3, DType::f32, -4.0f, 4.0f)
              : std::vector<float>{};
  const rt::Placement split = split_rows(spread);
  const rt::Tensor tx = checked
                            ? session.from_host(rt::HostTensor::from(x, {rows, cols}), split, "x")
                            : session.empty({rows, cols}, DType::f32, split, "x");
  const rt::Tensor ty = session.empty({rows, cols}, DType::f32, split, "y");
  KernelSpan span;
  session.launch(
      span.wrap(softmax_kernel(kBlockRows)),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 0).shape[0], kBlockRows)};
      },
      tx, ty);
  BenchResult r;
  r.name = "softmax";
  r.kernel = "softmax";
  r.shape = fmt::format("{}x{} f32", rows, cols);
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  r.bytes = 2.0 * static_cast<double>(rows * cols) * 4;  // each element read once, written once
  r.peak_bytes_per_second = hbm_share(session.runtime().system().spec(), r.pes);
  constexpr Tolerance kTolerance{1e-7, 1e-5};
  r.check = checked ? check_record(check_close(ty.to_host().to_floats(),
                                               softmax_reference(x, rows, cols), kTolerance),
                                   kTolerance)
                    : not_checked();
  return r;
}

}  // namespace kernbench::benches
