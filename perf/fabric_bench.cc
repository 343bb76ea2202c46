// Simulation speed of the hardware model (issue 3, point 16): simulated bytes and chunk-hop
// events per wall second for (a) one large transfer across the mesh and (b) an all-to-all where
// every PE of the default system reads from every cube; side by side with a bare event-queue loop
// holding about as many pending events, so the cost per chunk-hop can be read as a ratio.
#include <functional>
#include <limits>
#include <queue>
#include <vector>

#include <benchmark/benchmark.h>

#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using mem::MemoryId;

sim::EngineConfig unlimited() {
  sim::EngineConfig c;
  c.limits.max_events = std::numeric_limits<std::uint64_t>::max();
  c.limits.max_time = base::SimTime::max();
  return c;
}

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
  sim::Engine engine(unlimited());
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
  sim::Engine engine(unlimited());
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

// Baseline: a bare binary-heap loop that pops (time, sequence, 8-byte payload) and pushes a
// successor, with about as many pending events as each case above (16 and 4096).
struct BareItem {
  std::int64_t time;
  std::uint64_t seq;
  std::uint64_t payload;
  bool operator>(const BareItem& o) const {
    return time > o.time || (time == o.time && seq > o.seq);
  }
};

void BM_BareQueueLoop(benchmark::State& state) {
  std::priority_queue<BareItem, std::vector<BareItem>, std::greater<>> q;
  std::uint64_t seq = 0, x = 0x9E3779B97F4A7C15ull;
  const auto delay = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<std::int64_t>(x & 1023) + 1;
  };
  for (std::int64_t i = 0; i < state.range(0); ++i) q.push({delay(), seq++, 0});
  for (auto _ : state) {
    BareItem top = q.top();
    q.pop();
    benchmark::DoNotOptimize(top.payload);
    q.push({top.time + delay(), seq++, top.payload + 1});
  }
  state.counters["time/event"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_BareQueueLoop)->Arg(16)->Arg(4096);

}  // namespace
}  // namespace kernbench::hw
