// Simulation speed of the collectives (issue 6, point 11): a ring all-reduce of 64 MiB in
// timing-only mode over 64 ranks (default machine) and 512 ranks (configs/ahbm_multi_sip.yaml),
// with the default chunk sizes, under each fabric model (second argument: 0 chunks, 1 flows), as
// ccl::Collective runs it (the ring's schedule on the one executor, from its ring records) and
// (BM_RingAsSchedule64MiB) the ring's ops given one by one to the same executor, which then runs
// them from their messages and dependency index: the same simulated time, the gap is what the
// ring records save.
// Counts every chunk-hop: ccl_chunk_hops are the collective's chunks moving one rank on (one
// transfer each), chunk_hops the chunk model's DMA chunks arriving at a stage. Compare the time
// per event with BM_PriorityQueueBaseline (engine_bench.cc) in the same run.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench_support.h"

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/ccl/collective.h"
#include "kernbench/ccl/schedule_collective.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

void count_done(void* flag) { *static_cast<bool*>(flag) = true; }

// One executor's run of the ring all-reduce: (messages, simulated time) once the engine is done.
struct Ran {
  std::uint64_t messages = 0;
  base::SimTime time;
};

template <class Executor>
void ring_all_reduce_64mib(benchmark::State& state, Executor executor) {
  const int world = static_cast<int>(state.range(0));
  const topo::Overrides model{state.range(1) == 0 ? "system.fabric_model=chunks"
                                                  : "system.fabric_model=flows"};
  const auto spec = world <= 128 ? topo::default_topology(model)
                                 : topo::load_topology_file(
                                       KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml", model);
  const auto registry = default_algorithm_registry();
  const auto config =
      load_ccl_text(fmt::format("algorithms: {{r: {{kind: ring, world_size: {}}}}}", world),
                    "bench", registry.kinds());
  const std::uint64_t count = (64u << 20) / 4;
  std::uint64_t hops = 0, ccl_hops = 0;
  double wall_events = 0;
  for (auto _ : state) {
    sim::Engine engine(perf::unlimited_engine_config());
    hw::System system(engine, spec);
    const InstallPlan plan = registry.plan(config.entries.front(), spec);
    std::vector<mem::PhysAddr> data, scratch;
    for (const auto& pe : plan.ranks) {
      data.push_back(system.allocator().allocate_hbm(pe, base::Bytes(count * 4)));
      scratch.push_back(system.allocator().allocate_tcm(pe, Collective::scratch_bytes(plan, spec)));
    }
    const Ran ran = executor(engine, system, plan, data, scratch, count);
    hops += system.transfers().chunk_hops();
    ccl_hops += ran.messages;
    wall_events += static_cast<double>(engine.events_processed());
    state.counters["simulated_us"] = ran.time.ns() / 1e3;
  }
  const auto per_run = [&](double n) { return n / static_cast<double>(state.iterations()); };
  const auto per_second_inverted = [](double n) {
    return benchmark::Counter(n, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  };
  state.counters["ccl_chunk_hops"] = per_run(static_cast<double>(ccl_hops));
  state.counters["time/ccl_chunk_hop"] = per_second_inverted(static_cast<double>(ccl_hops));
  if (hops > 0) {
    state.counters["chunk_hops"] = per_run(static_cast<double>(hops));
    state.counters["time/chunk_hop"] = per_second_inverted(static_cast<double>(hops));
  }
  state.counters["time/event"] = per_second_inverted(wall_events);
  state.counters["events/s"] = benchmark::Counter(wall_events, benchmark::Counter::kIsRate);
  state.counters["events"] = per_run(wall_events);
}
template <class Collective>
Ran run(sim::Engine& engine, Collective& collective) {
  bool done = false;
  collective.start(&count_done, &done);
  engine.run();
  return {collective.messages(), collective.finished_at() - collective.started_at()};
}

void BM_RingCollective64MiB(benchmark::State& state) {
  ring_all_reduce_64mib(state, [](sim::Engine& engine, hw::System& system, const InstallPlan& plan,
                                  const std::vector<mem::PhysAddr>& data,
                                  const std::vector<mem::PhysAddr>& scratch, std::uint64_t count) {
    Collective ring(
        system, plan, data, scratch,
        {CollectiveOp::all_reduce, base::DType::f32, base::CombineOp::sum, count, 0, true});
    return run(engine, ring);
  });
}

void BM_RingAsSchedule64MiB(benchmark::State& state) {
  ring_all_reduce_64mib(state, [](sim::Engine& engine, hw::System& system, const InstallPlan& plan,
                                  const std::vector<mem::PhysAddr>& data,
                                  const std::vector<mem::PhysAddr>& scratch, std::uint64_t count) {
    Schedule op_by_op;
    for (const ScheduleOp& op : make_schedule(plan, CollectiveOp::all_reduce, count, 0).ops)
      op_by_op.ops.push_back(op);
    ScheduleCollective schedule(system, plan, std::move(op_by_op), data, scratch,
                                {base::DType::f32, base::CombineOp::sum, true});
    return run(engine, schedule);
  });
}

BENCHMARK(BM_RingCollective64MiB)
    ->ArgNames({"ranks", "flows"})
    ->Args({64, 0})
    ->Args({512, 0})
    ->Args({64, 1})
    ->Args({512, 1})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);
BENCHMARK(BM_RingAsSchedule64MiB)
    ->ArgNames({"ranks", "flows"})
    ->Args({64, 0})
    ->Args({512, 1})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

}  // namespace
}  // namespace kernbench::ccl
