// The peaks a bench's achieved rates are compared with, from the spec alone.
#pragma once

#include "kernbench/base/dtype.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

/// The HBM bandwidth (B/s) `pes` PEs have between them when each reads its home slices: their
/// share of their cubes' HBM bandwidth.
double hbm_share(const topo::TopologySpec& spec, int pes);
/// The matrix units' peak FLOP/s of `pes` PEs for `dtype`.
double matrix_peak(const topo::TopologySpec& spec, int pes, base::DType dtype);

}  // namespace kernbench::benches
