// The built-in benches, added to a registry by one plain call: each runs its kernel on every PE of
// the first SIP (rows split at cube and PE level), with shapes scaled by the PE count so the rows
// divide, and returns time, rate and the numeric check.
#pragma once

#include "benches/bench_registry.h"

namespace kernbench::benches {

/// Adds vector_add, softmax, matmul, matmul_persistent, layernorm and attention to `registry`.
void register_default_benches(BenchRegistry& registry);

}  // namespace kernbench::benches
