#include "benches/attention.h"

#include <algorithm>
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

namespace {
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
}

rt::KernelFn attention_kernel(std::int64_t block_m, std::int64_t block_n) {
  return tl::kernel([block_m, block_n](tl::Program& p) {
    using namespace tl;
    const std::int64_t m = p.tensor(0).shape[0];  // this PE's queries
    const std::int64_t n = p.tensor(1).shape[0];
    const std::int64_t d = p.tensor(0).shape[1];
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    const Tile rm = (p.program_id(0) * block_m + arange(0, block_m)).col();
    const Tile rd = arange(0, d).row();
    const Tile q = load(p.pointer(0) + rm * d + rd, rm < m, 0.0);
    Tile row_max = full({block_m}, kMinusInf, DType::f32);
    Tile row_sum = zeros({block_m}, DType::f32);
    Tile acc = zeros({block_m, d}, DType::f32);
    for (std::int64_t n0 = 0; n0 < n; n0 += block_n) {
      const Tile rn = arange(n0, n0 + block_n);
      const Tile kv_live = rn.col() < n;
      const Tile keys = load(p.pointer(1) + rn.col() * d + rd, kv_live, 0.0);
      const Tile values = load(p.pointer(2) + rn.col() * d + rd, kv_live, 0.0);
      const Tile scores = where(rn.row() < n, dot(q, trans(keys)) * scale, kMinusInf);
      const Tile new_max = maximum(row_max, max(scores, 1));
      const Tile probs = exp(scores - new_max.col());
      const Tile alpha = exp(row_max - new_max);  // rescales what earlier blocks summed
      row_sum = row_sum * alpha + sum(probs, 1);
      acc = dot(probs.to(DType::f16), values, acc * alpha.col());
      row_max = new_max;
    }
    store(p.pointer(3) + rm * d + rd, acc / row_sum.col(), rm < m);
  });
}

std::vector<double> attention_reference(std::span<const float> q, std::span<const float> k,
                                        std::span<const float> v, AttentionShape shape) {
  const auto m = static_cast<std::size_t>(shape.queries);
  const auto n = static_cast<std::size_t>(shape.keys);
  const auto d = static_cast<std::size_t>(shape.head_dim);
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  std::vector<double> out(m * d, 0.0), s(n);
  for (std::size_t i = 0; i < m; ++i) {
    double top = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < n; ++j) {
      double dotp = 0;
      for (std::size_t t = 0; t < d; ++t) dotp += static_cast<double>(q[i * d + t]) * k[j * d + t];
      s[j] = dotp * scale;
      top = std::max(top, s[j]);
    }
    double total = 0;
    for (std::size_t j = 0; j < n; ++j) total += (s[j] = std::exp(s[j] - top));
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t t = 0; t < d; ++t) out[i * d + t] += s[j] / total * v[j * d + t];
  }
  return out;
}

BenchResult run_attention(rt::Session& session, AttentionShape shape, Spread spread,
                          DataMode data) {
  constexpr std::int64_t kBlockM = kAttentionBlockM;
  constexpr std::int64_t kBlockN = kAttentionBlockN;
  const auto [m, n, d] = shape;
  const bool checked = data == DataMode::checked;
  const auto values = [checked](std::int64_t count, std::uint32_t seed) {
    return checked ? random_values(static_cast<std::size_t>(count), seed, DType::f16)
                   : std::vector<float>{};
  };
  const std::vector<float> q = values(m * d, 9);
  const std::vector<float> k = values(n * d, 10);
  const std::vector<float> v = values(n * d, 11);
  const rt::Placement split = split_rows(spread);
  const rt::Placement copies = copy_per_pe(spread);
  const auto input = [&](const std::vector<float>& host, std::int64_t rows,
                         const rt::Placement& placement, const char* name) {
    return checked ? session.from_host(rt::HostTensor::from_floats(DType::f16, host, {rows, d}),
                                       placement, name)
                   : session.empty({rows, d}, DType::f16, placement, name);
  };
  const rt::Tensor tq = input(q, m, split, "q");
  const rt::Tensor tk = input(k, n, copies, "k");
  const rt::Tensor tv = input(v, n, copies, "v");
  const rt::Tensor out = session.empty({m, d}, DType::f16, split, "out");
  KernelSpan span;
  session.launch(
      span.wrap(attention_kernel(kBlockM, kBlockN)),
      [](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 0).shape[0], kBlockM)};
      },
      tq, tk, tv, out);
  BenchResult r;
  r.name = "attention";
  r.kernel = "attention";
  r.shape = fmt::format("M={} N={} D={} f16", m, n, d);
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  r.flops = 4.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(d);
  // Every program streams all keys and values; Q is read and out written once (f16).
  const double programs =
      static_cast<double>(r.pes) * static_cast<double>(ceil_div(m / std::max(r.pes, 1), kBlockM));
  r.bytes = programs * 2.0 * static_cast<double>(n * d) * 2 + 2.0 * static_cast<double>(m * d) * 2;
  const topo::TopologySpec& spec = session.runtime().system().spec();
  r.peak_flops = matrix_peak(spec, r.pes, DType::f16);
  r.peak_bytes_per_second = hbm_share(spec, r.pes);
  // P is rounded to f16 before the second dot (as in Triton), and out is f16: Triton's own test
  // of this kernel uses atol 1e-2.
  constexpr Tolerance kTolerance{1e-2, 0.0};
  r.check = checked ? check_record(check_close(out.to_host().to_floats(),
                                               attention_reference(q, k, v, shape), kTolerance),
                                   kTolerance)
                    : not_checked();
  return r;
}

}  // namespace kernbench::benches
