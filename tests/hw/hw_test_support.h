// Shared by the hw tests: machines built from the embedded default with overrides, and a
// closed-form transfer time computed from channel parameters (never from the model's output).
#pragma once

#include <algorithm>
#include <memory>

#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::hw::testing {

/// An engine and a system on the default machine with `overrides`.
struct Machine {
  explicit Machine(const topo::Overrides& overrides = {})
      : system(engine, topo::default_topology(overrides)) {}
  sim::Engine engine;
  System system;
};

/// One transfer of n_chunks full chunks of `chunk` on idle stages: every stage's latency, every
/// stage's service of one chunk, and n_chunks - 1 more services of the slowest stage (the classic
/// flow-shop makespan of identical jobs), each service rounded as base::transfer_time rounds.
inline base::SimTime idle_transfer_time(const Route& route, base::Bytes chunk,
                                        std::uint64_t n_chunks) {
  base::SimTime total, slowest;
  for (const Channel* c : route.stages) {
    const base::SimTime service = base::transfer_time(chunk, c->bandwidth());
    total += c->latency() + service;
    slowest = std::max(slowest, service);
  }
  return total + slowest * static_cast<std::int64_t>(n_chunks - 1);
}

}  // namespace kernbench::hw::testing
