#include "benches/peaks.h"

#include "kernbench/topo/peak_figures.h"

namespace kernbench::benches {

double hbm_share(const topo::TopologySpec& spec, int pes) {
  const double cube =
      static_cast<double>(topo::hbm_bandwidth(spec, topo::Scope::cube).bytes_per_second());
  return cube * pes / static_cast<double>(topo::pes_in(spec, topo::Scope::cube));
}

double matrix_peak(const topo::TopologySpec& spec, int pes, base::DType dtype) {
  return topo::matrix_flops(spec, dtype, topo::Scope::pe) * pes;
}

}  // namespace kernbench::benches
