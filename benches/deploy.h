// Tensor deployment: the host copies a tensor onto every cube of the machine (one whole copy per
// cube, its rows split over the cube's PEs), as a model's weights are deployed before a run. The
// bench measures the writes, first submission to last completion: the host links' bandwidth.
#pragma once

#include <cstdint>

#include "benches/bench_context.h"
#include "benches/bench_result.h"

#include "kernbench/rt/session.h"

namespace kernbench::benches {

/// Deploys a seeded [rows, cols] f16 tensor on every cube of the session's device and checks
/// every copy's bytes against the host data (without simulated time). Timing only still writes
/// the data (moving it is what is measured) but checks nothing. Rows must divide over a cube's
/// PEs.
BenchResult run_deploy(rt::Session& session, std::int64_t rows, std::int64_t cols,
                       DataMode data = DataMode::checked);

}  // namespace kernbench::benches
