// The roofline of the matmul bench, from the spec alone: the matrix unit's f16 peak of the PEs
// that ran it, and the rate the bytes the tiled kernel moves allow from the memory they live in
// (each PE's shards sit in its home HBM slices: its share of the cube's HBM bandwidth).
#pragma once

#include "benches/bench_result.h"
#include "benches/matmul.h"

#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

/// Bytes one PE's programs move for its `local_m` rows: every A tile once per column block,
/// every B tile once per row block, C written once (masked lanes move nothing).
double matmul_bytes_per_pe(MatmulShape shape, std::int64_t local_m, MatmulTiles tiles);
/// min(matrix peak, FLOPs / (bytes moved / HBM share)) over `pes` PEs splitting the rows, each
/// moving `bytes_per_pe` (what its kernel loads and stores).
Roofline matmul_roofline(const topo::TopologySpec& spec, MatmulShape shape, double bytes_per_pe,
                         int pes);

}  // namespace kernbench::benches
