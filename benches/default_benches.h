// The built-in benches, added to a registry by one plain call: the default suite of `kernbench
// run` -- a tensor deployed to every cube, a matmul on every PE, softmax, layer norm and an
// all-reduce across the cubes -- then vector add, the persistent matmul and attention. The kernel
// benches run on every PE of the first SIP (rows split at cube and PE level), with shapes scaled
// by the PE count so the rows divide.
#pragma once

#include "benches/bench_registry.h"

namespace kernbench::benches {

/// Adds deploy, matmul, softmax, layernorm, all_reduce, vector_add, matmul_persistent and
/// attention to `registry`, in that order.
void register_default_benches(BenchRegistry& registry);

}  // namespace kernbench::benches
