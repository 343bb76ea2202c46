// The rank launcher: runs a bench function on N ranks as cooperative processes of one simulation
// (torchrun for the simulator). Rank r runs on a PE (default (sip r, cube 0, pe 0): one rank per
// SIP) with SIP r's device current; errors name the rank, ranks that never meet end in a
// DeadlockError naming their pending calls.
#pragma once

#include <functional>
#include <vector>

#include "kernbench/ccl/ccl_config.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/topo/coord.h"

namespace kernbench::ccl {

class RankContext;

struct LaunchOptions {
  std::vector<topo::PeCoord> pes;  // rank r's PE; empty: (sip r, cube 0, pe 0)
  const CclConfig* ccl = nullptr;  // entries groups may name; null: the embedded default
  bool timing_only = false;        // collectives move and compute no data, same times
};

/// Runs `bench` on `world` ranks (processes "rank 0" ...) and the engine until all finish.
/// ConfigError if the world does not fit (default mapping: more ranks than SIPs; or as many PEs
/// as ranks not given); a rank's exception surfaces as base::ProcessError naming the rank.
void run_ranks(rt::Runtime& runtime, int world, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options = {});
/// The same with one rank per SIP of the runtime's machine.
void run_ranks(rt::Runtime& runtime, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options = {});

}  // namespace kernbench::ccl
