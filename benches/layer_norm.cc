#include "benches/layer_norm.h"

#include <cmath>

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

rt::KernelFn layer_norm_kernel(std::int64_t block_rows) {
  return tl::kernel([block_rows](tl::Program& p) {
    using namespace tl;
    const rt::TensorArg& x = p.tensor(0);
    const std::int64_t rows = x.shape[0];
    const std::int64_t cols = x.shape[1];
    const Tile r = p.program_id(0) * block_rows + arange(0, block_rows);
    const Tile c = arange(0, next_power_of_2(cols));
    const Tile col_live = c < cols;
    const Tile mask = (r.col() < rows) & col_live.row();
    const Tile offsets = r.col() * x.strides[0] + c.row();
    const Tile v = load(p.pointer(0) + offsets, mask, 0.0).to(DType::f32);
    const Tile mean = sum(v, 1, keep_dims) / cols;
    const Tile centered = where(mask, v - mean, 0.0);  // padding must not count in the variance
    const Tile rstd = rsqrt(sum(centered * centered, 1, keep_dims) / cols + p.scalar(6));
    const Tile w = load(p.pointer(1) + c, col_live).to(DType::f32);
    const Tile b = load(p.pointer(2) + c, col_live).to(DType::f32);
    store(p.pointer(3) + offsets, centered * rstd * w.row() + b.row(), mask);
    const Tile row_live = r < rows;
    store(p.pointer(4) + r, reshape(mean, Shape{block_rows}), row_live);
    store(p.pointer(5) + r, reshape(rstd, Shape{block_rows}), row_live);
  });
}

std::vector<double> layer_norm_reference(std::span<const float> x, std::span<const float> w,
                                         std::span<const float> b, std::int64_t rows,
                                         std::int64_t cols, double eps) {
  std::vector<double> y(x.size());
  const auto n = static_cast<std::size_t>(cols);
  for (std::size_t r = 0; r < static_cast<std::size_t>(rows); ++r) {
    const float* row = x.data() + r * n;
    double mean = 0;
    for (std::size_t j = 0; j < n; ++j) mean += row[j];
    mean /= static_cast<double>(n);
    double var = 0;
    for (std::size_t j = 0; j < n; ++j) var += (row[j] - mean) * (row[j] - mean);
    const double rstd = 1.0 / std::sqrt(var / static_cast<double>(n) + eps);
    for (std::size_t j = 0; j < n; ++j) y[r * n + j] = (row[j] - mean) * rstd * w[j] + b[j];
  }
  return y;
}

BenchResult run_layer_norm(rt::Session& session, std::int64_t rows, std::int64_t cols,
                           Spread spread, DataMode data) {
  constexpr std::int64_t kBlockRows = kLayerNormBlockRows;
  constexpr double kEps = 1e-5;
  const bool checked = data == DataMode::checked;
  const auto size = static_cast<std::size_t>(checked ? rows * cols : 0);
  const auto width = static_cast<std::size_t>(checked ? cols : 0);
  const std::vector<float> x = random_values(size, 6, DType::f16, -2.0f, 2.0f);
  const std::vector<float> w = random_values(width, 7, DType::f16, 0.5f, 1.5f);
  const std::vector<float> b = random_values(width, 8, DType::f16);
  const rt::Placement split = split_rows(spread);
  const rt::Placement copies = copy_per_pe(spread);
  const auto input = [&](const std::vector<float>& values, rt::Shape shape,
                         const rt::Placement& placement, const char* name) {
    return checked ? session.from_host(rt::HostTensor::from_floats(DType::f16, values, shape),
                                       placement, name)
                   : session.empty(shape, DType::f16, placement, name);
  };
  const rt::Tensor tx = input(x, {rows, cols}, split, "x");
  const rt::Tensor tw = input(w, {cols}, copies, "w");
  const rt::Tensor tb = input(b, {cols}, copies, "b");
  const rt::Tensor ty = session.empty({rows, cols}, DType::f16, split, "y");
  const rt::Tensor mean = session.empty({rows}, DType::f32, split, "mean");
  const rt::Tensor rstd = session.empty({rows}, DType::f32, split, "rstd");
  KernelSpan span;
  session.launch(
      span.wrap(layer_norm_kernel(kBlockRows)),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 0).shape[0], kBlockRows)};
      },
      tx, tw, tb, ty, mean, rstd, kEps);
  BenchResult r;
  r.name = "layernorm";
  r.kernel = "layernorm";
  r.shape = fmt::format("{}x{} f16", rows, cols);
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  // x read and y written (f16), w and b once per program, mean and rstd (f32) written.
  const double programs = static_cast<double>(r.pes) *
                          static_cast<double>(ceil_div(rows / std::max(r.pes, 1), kBlockRows));
  r.bytes = 2.0 * static_cast<double>(rows * cols) * 2 + programs * 2.0 * cols * 2 + rows * 8.0;
  r.peak_bytes_per_second = hbm_share(session.runtime().system().spec(), r.pes);
  // y is f16: a half-ulp rounding (2^-11 relative) on top of f32 arithmetic.
  constexpr Tolerance kTolerance{1e-3, 1e-3};
  r.check = checked ? check_record(
                          check_close(ty.to_host().to_floats(),
                                      layer_norm_reference(x, w, b, rows, cols, kEps), kTolerance),
                          kTolerance)
                    : not_checked();
  return r;
}

}  // namespace kernbench::benches
