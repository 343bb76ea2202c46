#include "benches/matmul_roofline.h"

#include "benches/kernel_helpers.h"

#include "kernbench/topo/peak_figures.h"

namespace kernbench::benches {

double matmul_bytes_per_pe(MatmulShape shape, std::int64_t local_m, MatmulTiles tiles) {
  const auto row_blocks = static_cast<double>(ceil_div(local_m, tiles.m));
  const auto col_blocks = static_cast<double>(ceil_div(shape.n, tiles.n));
  const auto m = static_cast<double>(local_m);
  const auto n = static_cast<double>(shape.n);
  const auto k = static_cast<double>(shape.k);
  return col_blocks * m * k * 2 + row_blocks * k * n * 2 + m * n * 4;
}

Roofline matmul_roofline(const topo::TopologySpec& spec, MatmulShape shape, double bytes_per_pe,
                         int pes) {
  Roofline r;
  if (pes <= 0) return r;
  const std::int64_t local_m = shape.m / pes;
  const double flops_per_pe = 2.0 * static_cast<double>(local_m) * static_cast<double>(shape.n) *
                              static_cast<double>(shape.k);
  const double hbm_share =
      static_cast<double>(topo::hbm_bandwidth(spec, topo::Scope::cube).bytes_per_second()) /
      static_cast<double>(topo::pes_in(spec, topo::Scope::cube));
  const double seconds = bytes_per_pe / hbm_share;
  r.matrix_peak_flops = topo::matrix_flops(spec, base::DType::f16, topo::Scope::pe) * pes;
  r.memory_bound_flops = flops_per_pe / seconds * pes;
  return r;
}

}  // namespace kernbench::benches
