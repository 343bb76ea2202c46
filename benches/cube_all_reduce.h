// An all-reduce across the cubes: one rank on PE 0 of every cube, a ring in cube order run by
// ccl's Collective (chunks through IPCQ and DMA, sums on the receivers' vector units), with the
// buffer and chunk size of ccl.yaml's ring_default_ws entry. The bench deploys each rank's vector,
// installs the ring's IPCQ tables, all-reduces and reads back.
#pragma once

#include <cstdint>
#include <string_view>

#include "benches/bench_context.h"
#include "benches/bench_result.h"

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/rt/session.h"

namespace kernbench::benches {

/// The ccl.yaml entry whose buffer and chunk size the bench's ring takes (its PEs are its own):
/// the ring process groups use when they name none.
inline constexpr std::string_view kAllReduceEntry = "ring_default_ws";

/// All-reduces (sum) `count` f32 per rank over every cube of the session's device and checks
/// every rank's result against the host sum (small integers, exact in f32). Its bytes are
/// nccl-tests' bus bytes, 2(p-1)/p x the vector, so its bandwidth reads as busbw. The ring's
/// chunks land in `settings.buffer` and move `settings.chunk_size` at a time (a ccl.yaml's
/// kAllReduceEntry; absent: the embedded file's).
BenchResult run_cube_all_reduce(rt::Session& session, std::int64_t count,
                                DataMode data = DataMode::checked,
                                const ccl::AlgorithmEntry* settings = nullptr);

}  // namespace kernbench::benches
