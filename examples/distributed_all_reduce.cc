// The multi-rank bench of the previous tool, in KernBench: one rank per SIP of a 4-SIP machine;
// each rank sets its device, creates its tensor, all-reduces it across the SIPs (a ring, then a
// binary tree) and checks the result. Run: build/examples/distributed_all_reduce
// [path/to/ahbm_multi_sip.yaml]
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/topo/topology_loader.h"

using namespace kernbench;

int main(int argc, char** argv) {
  const std::string topology =
      argc > 1 ? argv[1] : KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml";
  sim::Engine engine;
  hw::System system(engine, topo::load_topology_file(topology));
  rt::Runtime runtime(system);
  constexpr std::int64_t kCount = 1 << 16;
  int wrong = 0;
  // A ring and a binary tree for groups of any size (the default file's tree_binary_7 is made for
  // 7 ranks, and a group takes an entry made for its size only).
  const ccl::CclConfig entries = ccl::load_ccl_text(
      "algorithms:\n  ring: {kind: ring}\n  tree_binary: {kind: tree, fanout: 2}\n",
      "example entries", ccl::default_algorithm_registry().kinds());
  ccl::LaunchOptions options;
  options.ccl = &entries;

  ccl::run_ranks(
      runtime,
      [&](ccl::RankContext& ctx) {
        ctx.set_device(ctx.rank());  // torch.ahbm.set_device(rank)
        ccl::ProcessGroup& world = ctx.init_process_group("ring");
        std::vector<float> mine(kCount);
        for (std::int64_t i = 0; i < kCount; ++i) mine[i] = static_cast<float>(ctx.rank() + i % 7);
        rt::Tensor t = ctx.session().from_host(rt::HostTensor::from(mine, {kCount}), {}, "grad");
        const base::SimTime start = ctx.process().now();
        ctx.all_reduce(t);
        const base::SimTime took = ctx.process().now() - start;
        const std::vector<float> got = t.to_host().values<float>();
        const int p = ctx.world_size();
        for (std::int64_t i = 0; i < kCount; ++i)  // sum over ranks of (rank + i % 7)
          if (got[i] != static_cast<float>(p * (p - 1) / 2 + p * (i % 7))) ++wrong;
        fmt::print("rank {} of {} on {}: all_reduce of {} f32 in {} ({} ranks in the group)\n",
                   ctx.rank(), p, ctx.pe(), kCount, took, world.size());

        // The same through a binary tree: a group's ccl.yaml entry names its algorithm.
        std::vector<int> everyone(static_cast<std::size_t>(p));
        for (int r = 0; r < p; ++r) everyone[static_cast<std::size_t>(r)] = r;
        ccl::ProcessGroup& tree = ctx.new_group(everyone, "tree_binary");
        rt::Tensor u = ctx.session().from_host(rt::HostTensor::from(mine, {kCount}), {}, "grad2");
        const base::SimTime tree_start = ctx.process().now();
        tree.all_reduce(ctx, u);
        const std::vector<float> by_tree = u.to_host().values<float>();
        for (std::int64_t i = 0; i < kCount; ++i)
          if (by_tree[i] != got[i]) ++wrong;
        fmt::print("rank {}: the same through a {} in {}\n", ctx.rank(), tree.plan().kind,
                   ctx.process().now() - tree_start);
      },
      options);
  fmt::print("simulated time {}\n", engine.now());
  if (wrong != 0) {
    fmt::print("distributed all_reduce: {} wrong elements\n", wrong);
    return 1;
  }
  fmt::print("distributed all_reduce: OK\n");
  return 0;
}
