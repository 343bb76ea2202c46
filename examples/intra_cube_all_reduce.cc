// The previous tool's intra-cube bench in KernBench: 8 ranks, one on each PE of cube 0 of the
// default machine, all-reduce their own data over the ring_tcm_8 entry (a ring through the cube's
// PEs, chunks landing in TCM) and check every element against the host's sum.
// Run: build/examples/intra_cube_all_reduce
#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/topo/topology_loader.h"

using namespace kernbench;

int main() {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology());
  rt::Runtime runtime(system);
  constexpr int kRanks = 8;
  constexpr std::int64_t kCount = 1 << 16;  // 256 KiB of f32 per rank

  // Each rank's data and the host reference (small integers: exact in f32 in any order).
  std::vector<std::vector<float>> data(kRanks, std::vector<float>(kCount));
  std::vector<float> expect(kCount, 0.0f);
  for (int r = 0; r < kRanks; ++r)
    for (std::int64_t i = 0; i < kCount; ++i) {
      data[r][i] = static_cast<float>((r + 1) * (i % 13) - r);
      expect[i] += data[r][i];
    }

  ccl::LaunchOptions options;
  options.ranks = ccl::RankMap::per_pe(rt::Device::cube({0, 0}));  // rank r on PE r of cube 0
  std::vector<std::int64_t> wrong(kRanks, 0);
  ccl::run_ranks(
      runtime,
      [&](ccl::RankContext& ctx) {
        ctx.set_device(ctx.rank());  // torch.ahbm.set_device(rank): this rank's PE (already so)
        ctx.init_process_group("ring_tcm_8");
        rt::Tensor grad = ctx.session().from_host(rt::HostTensor::from(data[ctx.rank()], {kCount}),
                                                  {}, "grad");  // on the rank's PE
        ctx.barrier();  // every rank's data is in place: time the collective alone
        const base::SimTime start = ctx.process().now();
        ctx.all_reduce(grad);
        const base::SimTime took = ctx.process().now() - start;
        const std::vector<float> got = grad.to_host().values<float>();
        for (std::int64_t i = 0; i < kCount; ++i)
          if (got[i] != expect[i]) ++wrong[ctx.rank()];
        fmt::print("rank {} of {} on {}: all_reduce of {} f32 in {}\n", ctx.rank(),
                   ctx.world_size(), ctx.pe(), kCount, took);
      },
      options);
  std::int64_t total = 0;
  for (const std::int64_t w : wrong) total += w;
  fmt::print("simulated time {}\n", engine.now());
  if (total != 0) {
    fmt::print("intra-cube all_reduce: {} wrong elements\n", total);
    return 1;
  }
  fmt::print("intra-cube all_reduce: OK\n");
  return 0;
}
