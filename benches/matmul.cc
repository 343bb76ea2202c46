#include "benches/matmul.h"

#include <algorithm>

#include <fmt/format.h>

#include "benches/kernel_helpers.h"
#include "benches/kernel_span.h"
#include "benches/matmul_roofline.h"
#include "benches/numeric_check.h"
#include "benches/peaks.h"

#include "kernbench/hw/system.h"
#include "kernbench/rt/host_tensor.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/rt/tensor.h"
#include "kernbench/tl/tl.h"

namespace kernbench::benches {

using base::DType;

rt::KernelFn matmul_kernel(MatmulTiles tiles) {
  return tl::kernel([tiles](tl::Program& p) {
    using namespace tl;
    const std::int64_t m = p.tensor(0).shape[0];  // this PE's rows
    const std::int64_t k = p.tensor(0).shape[1];
    const std::int64_t n = p.tensor(1).shape[1];
    const Tile row0 = p.program_id(0) * tiles.m;
    const Tile col0 = p.program_id(1) * tiles.n;
    // Block pointers: the DMA engine computes the addresses and the boundary check pads ragged
    // edges with zeros, so the vector unit is left free (Triton's block-pointer matmul).
    BlockPtr a_block =
        make_block_ptr(p.pointer(0), {m, k}, {k, 1}, {row0, 0}, {tiles.m, tiles.k}, {1, 0});
    BlockPtr b_block =
        make_block_ptr(p.pointer(1), {k, n}, {n, 1}, {0, col0}, {tiles.k, tiles.n}, {1, 0});
    Tile acc = zeros({tiles.m, tiles.n}, DType::f32);
    Tile a = load(a_block, {0, 1});
    Tile b = load(b_block, {0, 1});
    for (std::int64_t k0 = 0; k0 < k; k0 += tiles.k) {
      Tile next_a, next_b;
      if (k0 + tiles.k < k) {  // in flight while the matrix unit works on this step
        a_block = advance(a_block, {0, tiles.k});
        b_block = advance(b_block, {tiles.k, 0});
        next_a = load(a_block, {0, 1});
        next_b = load(b_block, {0, 1});
      }
      acc = dot(a, b, acc);
      a = next_a;
      b = next_b;
    }
    store(make_block_ptr(p.pointer(2), {m, n}, {n, 1}, {row0, col0}, {tiles.m, tiles.n}, {1, 0}),
          acc, {0, 1});
  });
}

std::vector<double> matmul_reference(std::span<const float> a, std::span<const float> b,
                                     MatmulShape shape) {
  const auto m = static_cast<std::size_t>(shape.m);
  const auto n = static_cast<std::size_t>(shape.n);
  const auto k = static_cast<std::size_t>(shape.k);
  std::vector<double> c(m * n, 0.0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t kk = 0; kk < k; ++kk) {
      const double av = a[i * k + kk];
      for (std::size_t j = 0; j < n; ++j) c[i * n + j] += av * b[kk * n + j];
    }
  return c;
}

MatmulOperands matmul_operands(rt::Session& session, MatmulShape shape, Spread spread,
                               DataMode data) {
  MatmulOperands o;
  const auto input = [&](std::vector<float>& values, std::uint32_t seed, rt::Shape dims,
                         const rt::Placement& placement, const char* name) {
    if (data == DataMode::timing_only) return session.empty(dims, DType::f16, placement, name);
    values = random_values(static_cast<std::size_t>(dims[0] * dims[1]), seed, DType::f16);
    return session.from_host(rt::HostTensor::from_floats(DType::f16, values, dims), placement,
                             name);
  };
  o.a = input(o.a_values, 4, {shape.m, shape.k}, split_rows(spread), "a");
  o.b = input(o.b_values, 5, {shape.k, shape.n}, copy_per_pe(spread), "b");
  o.c = session.empty({shape.m, shape.n}, DType::f32, split_rows(spread), "c");
  return o;
}

BenchResult matmul_result(std::string name, MatmulShape shape, const KernelSpan& span,
                          const topo::TopologySpec& spec, double bytes_per_pe) {
  BenchResult r;
  r.kernel = name;
  r.name = std::move(name);
  r.shape = fmt::format("M={} N={} K={} f16->f32", shape.m, shape.n, shape.k);
  r.pes = span.pes();
  r.start = span.start();
  r.time = span.elapsed();
  r.flops = 2.0 * static_cast<double>(shape.m) * static_cast<double>(shape.n) *
            static_cast<double>(shape.k);
  r.bytes = bytes_per_pe * r.pes;
  r.peak_flops = matrix_peak(spec, r.pes, DType::f16);
  r.peak_bytes_per_second = hbm_share(spec, r.pes);
  if (r.pes > 0) r.roofline = matmul_roofline(spec, shape, bytes_per_pe, r.pes);
  return r;
}

report::CheckRecord matmul_check(const MatmulOperands& operands, MatmulShape shape) {
  if (operands.a_values.empty()) return not_checked();
  // f16 products are exact in f32; the f32 sums in k order drift by about k ulps at worst.
  constexpr Tolerance kTolerance{1e-4, 1e-4};
  return check_record(
      check_close(operands.c.to_host().to_floats(),
                  matmul_reference(operands.a_values, operands.b_values, shape), kTolerance),
      kTolerance);
}

BenchResult run_matmul(rt::Session& session, MatmulShape shape, Spread spread, MatmulTiles tiles,
                       DataMode data) {
  const MatmulOperands o = matmul_operands(session, shape, spread, data);
  KernelSpan span;
  session.launch(
      span.wrap(matmul_kernel(tiles)),
      [tiles](std::span<const rt::KernelArg> args) {
        return rt::Grid{ceil_div(tensor_arg(args, 0).shape[0], tiles.m),
                        ceil_div(tensor_arg(args, 1).shape[1], tiles.n)};
      },
      o.a, o.b, o.c);
  const int pes = std::max(span.pes(), 1);
  BenchResult r = matmul_result("matmul", shape, span, session.runtime().system().spec(),
                                matmul_bytes_per_pe(shape, shape.m / pes, tiles));
  r.check = matmul_check(o, shape);
  return r;
}

}  // namespace kernbench::benches
