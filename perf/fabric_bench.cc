// Simulation speed of the hardware model (issue 3, point 16): simulated bytes and chunk-hop
// events per wall second for (a) one large transfer across the mesh and (b) an all-to-all where
// every PE of the default system reads from every cube. Compare time/chunk_hop with
// BM_PriorityQueueBaseline/16 and /4096 (engine_bench.cc, same binary and run): a bare event-queue
// loop holding about as many pending events as each case.
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.h"

#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using mem::MemoryId;

void count_done(void* counter) { ++*static_cast<int*>(counter); }

void report(benchmark::State& state, const TransferEngine& t, std::uint64_t hops0, double bytes) {
  const auto hops = static_cast<double>(t.chunk_hops() - hops0);
  state.counters["chunk_hops/s"] = benchmark::Counter(hops, benchmark::Counter::kIsRate);
  state.counters["sim_bytes/s"] = benchmark::Counter(bytes, benchmark::Counter::kIsRate);
  state.counters["time/chunk_hop"] =
      benchmark::Counter(hops, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// (a) 64 MiB from an HBM slice of the farthest cube into a TCM: 16384 chunks over 11 stages.
void BM_OneLargeTransfer(benchmark::State& state) {
  sim::Engine engine(perf::unlimited_engine_config());
  System system(engine, topo::default_topology());
  const Route route = system.fabric().route(Location::memory(MemoryId::hbm_slice({0, 15}, 0)),
                                            Location::memory(MemoryId::tcm({0, 0, 0})));
  const base::Bytes size = 64_MiB;
  const std::uint64_t hops0 = system.transfers().chunk_hops();
  int done = 0;
  for (auto _ : state) {
    system.transfers().start(route, size, &count_done, &done);
    engine.run();
  }
  report(state, system.transfers(), hops0, static_cast<double>(size.count()) * state.iterations());
}
BENCHMARK(BM_OneLargeTransfer)->Unit(benchmark::kMillisecond);

// (b) every PE of the default system (128) reads 64 KiB from an HBM slice of every cube (16):
// 2048 concurrent flows contending on the mesh, ports and slices.
void BM_AllToAllReads(benchmark::State& state) {
  sim::Engine engine(perf::unlimited_engine_config());
  System system(engine, topo::default_topology());
  const auto& spec = system.spec();
  std::vector<Route> routes;
  for (int c = 0; c < spec.cubes_per_sip(); ++c)
    for (int src = 0; src < spec.cubes_per_sip(); ++src)
      for (int p = 0; p < spec.pes_per_cube(); ++p)
        routes.push_back(system.fabric().route(
            Location::memory(MemoryId::hbm_slice({0, src}, p % spec.cube.hbm.slices_per_cube)),
            Location::memory(MemoryId::tcm({0, c, p}))));
  const base::Bytes size = 64_KiB;
  const std::uint64_t hops0 = system.transfers().chunk_hops();
  int done = 0;
  for (auto _ : state) {
    for (const Route& r : routes) system.transfers().start(r, size, &count_done, &done);
    engine.run();
  }
  report(
      state, system.transfers(), hops0,
      static_cast<double>(size.count()) * static_cast<double>(routes.size()) * state.iterations());
}
BENCHMARK(BM_AllToAllReads)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kernbench::hw
