// The rank launcher: runs a bench function on N ranks as cooperative processes of one simulation
// (torchrun for the simulator). Where ranks run is a RankMap -- one per SIP (the default), per
// cube, per PE, or a list -- and each rank starts with its own device current; errors name the
// rank, ranks that never meet end in a DeadlockError naming their pending calls.
#pragma once

#include <functional>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/rank_map.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::ccl {

class RankContext;

struct LaunchOptions {
  RankMap ranks = RankMap::per_sip();  // rank r's PE and device
  const CclConfig* ccl = nullptr;      // entries groups may name; null: the embedded default
  // The algorithms those entries' kinds name (a user's own among them); null: the built-ins.
  const AlgorithmRegistry* algorithms = nullptr;
  bool timing_only = false;  // collectives move and compute no data, same times
};

/// Runs `bench` on `world` ranks (processes "rank 0" ...) and the engine until all finish.
/// ConfigError if the world does not fit the rank map (RankMap::places); a rank's exception
/// surfaces as base::ProcessError naming the rank.
void run_ranks(rt::Runtime& runtime, int world, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options = {});
/// The same with one rank per unit of the rank map (by default one per SIP of the runtime's
/// device), so a bench need not know the machine's shape.
void run_ranks(rt::Runtime& runtime, const std::function<void(RankContext&)>& bench,
               const LaunchOptions& options = {});

}  // namespace kernbench::ccl
