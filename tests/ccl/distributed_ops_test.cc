// The distributed API with every algorithm kind: all_reduce through each kind's process group,
// broadcast, reduce and all_to_all, their errors, group creations that can never meet, and every
// op with ranks on PEs (128 on the default machine, 8 in one cube).
#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "multi_sip_machine.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

// One entry of each kind; the launcher gives each group its members' PEs.
const CclConfig& kinds_config() {
  static const CclConfig config = load_ccl_text(
      "algorithms:\n"
      "  ring: {kind: ring, chunk_size: 1024}\n"
      "  tree: {kind: tree, chunk_size: 1024}\n"
      "  mesh: {kind: mesh_2d, chunk_size: 1024, mesh: {rows: 2, cols: 2}}\n"
      "  hd: {kind: halving_doubling, chunk_size: 1024}\n"
      "  hier: {kind: hierarchical, chunk_size: 1024}\n",
      "kinds.yaml", default_algorithm_registry().kinds());
  return config;
}

constexpr std::int64_t kCount = 1000;  // 250 per rank: all_to_all's parts over 4 ranks

std::vector<std::int32_t> values_of(int rank) {
  std::vector<std::int32_t> v(kCount);
  for (std::int64_t i = 0; i < kCount; ++i) v[i] = static_cast<std::int32_t>(rank * 10000 + i);
  return v;
}

// Every rank: join `entry`'s world group, make its tensor, run `op`, read back.
std::vector<std::vector<std::int32_t>> run(
    const std::string& entry, const std::function<void(RankContext&, rt::Tensor&)>& op) {
  MultiSip m;
  LaunchOptions options;
  options.ccl = &kinds_config();
  std::vector<std::vector<std::int32_t>> results(4);
  run_ranks(
      m.runtime,
      [&](RankContext& ctx) {
        ctx.init_process_group(entry);
        rt::Tensor t =
            ctx.session().from_host(rt::HostTensor::from(values_of(ctx.rank()), {kCount}));
        op(ctx, t);
        results[static_cast<std::size_t>(ctx.rank())] = t.to_host().values<std::int32_t>();
      },
      options);
  return results;
}

std::int32_t sum_at(std::int64_t i) {
  std::int32_t s = 0;
  for (int q = 0; q < 4; ++q) s += values_of(q)[static_cast<std::size_t>(i)];
  return s;
}

TEST(DistributedOps, AllReduceThroughEveryKind) {
  for (const std::string entry : {"ring", "tree", "mesh", "hd", "hier"}) {
    const auto got = run(entry, [](RankContext& c, rt::Tensor& t) { c.all_reduce(t); });
    for (int r = 0; r < 4; ++r)
      for (std::int64_t i = 0; i < kCount; ++i)
        ASSERT_EQ(got[r][i], sum_at(i)) << entry << " rank " << r << " i " << i;
  }
}

TEST(DistributedOps, AvgAndReduceScatterOnATree) {
  const auto avg =
      run("tree", [](RankContext& c, rt::Tensor& t) { c.all_reduce(t, ReduceOp::avg); });
  const auto rs = run("tree", [](RankContext& c, rt::Tensor& t) { c.reduce_scatter(t); });
  for (int r = 0; r < 4; ++r)
    for (std::int64_t i = 0; i < kCount; ++i) {
      ASSERT_EQ(avg[r][i], sum_at(i) / 4) << "rank " << r << " i " << i;
      if (i / 250 == r) {
        ASSERT_EQ(rs[r][i], sum_at(i)) << "rank " << r << " i " << i;
      }
    }
}

TEST(DistributedOps, BroadcastFromEveryRoot) {
  for (const std::string entry : {"ring", "hd"})
    for (int root = 0; root < 4; ++root) {
      const auto got = run(entry, [root](RankContext& c, rt::Tensor& t) { c.broadcast(t, root); });
      for (int r = 0; r < 4; ++r) ASSERT_EQ(got[r], values_of(root)) << entry << " root " << root;
    }
}

TEST(DistributedOps, ReduceLandsOnTheRoot) {
  const auto got =
      run("mesh", [](RankContext& c, rt::Tensor& t) { c.reduce(t, 2, ReduceOp::max); });
  EXPECT_EQ(got[2], values_of(3));  // rank 3's values are the largest everywhere
  EXPECT_NE(got[0], values_of(3));  // rank 0 is a leaf of the tree from rank 2: it only sent
}

TEST(DistributedOps, AllToAllTransposesTheParts) {
  MultiSip m;
  std::vector<std::vector<std::int32_t>> got(4);
  run_ranks(m.runtime, [&](RankContext& ctx) {
    ctx.init_process_group("ring_default_ws");
    const rt::Tensor in =
        ctx.session().from_host(rt::HostTensor::from(values_of(ctx.rank()), {kCount}));
    rt::Tensor out = ctx.session().zeros({kCount}, base::DType::i32);
    ctx.all_to_all(out, in);
    got[static_cast<std::size_t>(ctx.rank())] = out.to_host().values<std::int32_t>();
  });
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 4; ++i)
      for (std::int64_t k = 0; k < 250; ++k)  // rank j's part i is rank i's part j
        ASSERT_EQ(got[j][i * 250 + k], values_of(i)[j * 250 + k]) << j << " " << i << " " << k;
}

TEST(DistributedOps, TimingOnlyTakesTheSameTimeOnEveryKind) {
  for (const std::string entry : {"tree", "mesh", "hd", "hier"}) {
    base::SimTime times[2];
    for (const bool timing_only : {false, true}) {
      MultiSip m;
      LaunchOptions options;
      options.ccl = &kinds_config();
      options.timing_only = timing_only;
      run_ranks(
          m.runtime,
          [&](RankContext& ctx) {
            ctx.init_process_group(entry);
            rt::Tensor t = ctx.session().zeros({4096}, base::DType::f32);
            ctx.all_reduce(t);
          },
          options);
      times[timing_only ? 1 : 0] = m.engine.now();
    }
    EXPECT_EQ(times[0], times[1]) << entry;
  }
}

TEST(DistributedOpsErrors, RootsAndPartsThatDoNotFit) {
  EXPECT_THROW(run("ring", [](RankContext& c, rt::Tensor& t) { c.broadcast(t, 4); }),
               base::ProcessError);
  EXPECT_THROW(run("ring", [](RankContext& c, rt::Tensor& t) { c.reduce(t, 0, ReduceOp::avg); }),
               base::ProcessError);
  try {
    run("ring", [](RankContext& c, rt::Tensor& t) {
      rt::Tensor out = c.session().zeros({kCount - 2}, base::DType::i32);
      rt::Tensor in = c.session().zeros({kCount - 2}, base::DType::i32);
      c.all_to_all(out, in);
      (void)t;
    });
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    EXPECT_NE(std::string(e.what()).find("998 elements do not split into 4 equal parts"),
              std::string::npos)
        << e.what();
  }
}

TEST(DistributedOpsErrors, BroadcastRootsThatDifferAreAMismatch) {
  try {
    run("tree", [](RankContext& c, rt::Tensor& t) { c.broadcast(t, c.rank() == 3 ? 1 : 0); });
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "rank 2 broadcast(i32 x 1000, root 0), rank 3 broadcast(i32 x 1000, root 1)"),
              std::string::npos)
        << e.what();
  }
}

// Ranks 0 and 1 each wait to create a group that has the other, with different members: neither
// group can ever complete, so the second creation is a mismatch naming both calls.
TEST(DistributedOpsErrors, GroupsCreatedWithDifferentMembersAreAMismatch) {
  MultiSip m;
  try {
    run_ranks(m.runtime, [](RankContext& c) {
      if (c.rank() == 0) c.new_group({0, 1});
      if (c.rank() == 1) c.new_group({0, 1, 2});
    });
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("mismatched group creation: rank 1 calls new_group([0, 1, 2]) while rank 0 "
                        "waits in new_group([0, 1]); each waits for the other"),
              std::string::npos)
        << what;
  }
}

// Every op, each on fresh tensors holding `every_op_value(rank, i)`, run by `world` ranks placed
// by `ranks` on the default machine in groups of `entry`; results checked against the host.
int every_op_value(int rank, std::int64_t i) { return rank * 1000 + static_cast<int>(i % 97); }

void check_every_op(int world, const RankMap& ranks, const std::string& entry,
                    const std::vector<topo::PeCoord>& expect_pes) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology());
  rt::Runtime runtime(system);
  const std::int64_t n = 2 * world;  // all_to_all: 2 elements per pair
  const int root = world - 1;
  constexpr int kOps = 6;
  std::vector<std::vector<std::vector<std::int32_t>>> got(
      kOps, std::vector<std::vector<std::int32_t>>(static_cast<std::size_t>(world)));
  LaunchOptions options;
  options.ranks = ranks;
  run_ranks(
      runtime, world,
      [&](RankContext& ctx) {
        EXPECT_EQ(ctx.pe(), expect_pes[static_cast<std::size_t>(ctx.rank())]);
        EXPECT_EQ(ctx.session().current_device(), ctx.device());
        ctx.init_process_group(entry);
        std::vector<std::int32_t> mine(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) mine[i] = every_op_value(ctx.rank(), i);
        const auto fresh = [&] { return ctx.session().from_host(rt::HostTensor::from(mine, {n})); };
        const auto keep = [&](int op, const rt::Tensor& t) {
          got[op][static_cast<std::size_t>(ctx.rank())] = t.to_host().values<std::int32_t>();
        };
        rt::Tensor t = fresh();
        ctx.all_reduce(t);
        keep(0, t);
        t = fresh();
        ctx.reduce_scatter(t);
        keep(1, t);
        t = fresh();
        ctx.all_gather(t);
        keep(2, t);
        t = fresh();
        ctx.broadcast(t, root);
        keep(3, t);
        t = fresh();
        ctx.reduce(t, 0, ReduceOp::max);
        keep(4, t);
        const rt::Tensor in = fresh();
        rt::Tensor out = ctx.session().zeros({n}, base::DType::i32);
        ctx.all_to_all(out, in);
        keep(5, out);
      },
      options);
  const std::int64_t seg = n / world;
  for (int r = 0; r < world; ++r) {
    const auto mine = [&](int op) -> const std::vector<std::int32_t>& {
      return got[op][static_cast<std::size_t>(r)];
    };
    for (std::int64_t i = 0; i < n; ++i) {
      std::int32_t sum = 0;
      for (int q = 0; q < world; ++q) sum += every_op_value(q, i);
      const int owner = static_cast<int>(i / seg);
      ASSERT_EQ(mine(0)[i], sum) << "all_reduce rank " << r << " i " << i;
      if (owner == r) {
        ASSERT_EQ(mine(1)[i], sum) << "reduce_scatter rank " << r << " i " << i;
      }
      ASSERT_EQ(mine(2)[i], every_op_value(owner, i)) << "all_gather rank " << r << " i " << i;
      ASSERT_EQ(mine(3)[i], every_op_value(root, i)) << "broadcast rank " << r << " i " << i;
      if (r == 0) {
        ASSERT_EQ(mine(4)[i], every_op_value(world - 1, i)) << "reduce i " << i;
      }
      // all_to_all: rank r's part j is rank j's part r.
      ASSERT_EQ(mine(5)[i], every_op_value(owner, r * seg + i % seg))
          << "all_to_all rank " << r << " i " << i;
    }
  }
}

TEST(RanksOnPes, OnePerPeOfTheDefaultMachineEveryOp) {
  const auto spec = topo::default_topology();
  std::vector<topo::PeCoord> pes;
  for (int c = 0; c < spec.cubes_per_sip(); ++c)
    for (int p = 0; p < spec.pes_per_cube(); ++p) pes.push_back({0, c, p});
  ASSERT_EQ(pes.size(), 128u);
  check_every_op(128, RankMap::per_pe(), "ring_default_ws", pes);
}

TEST(RanksOnPes, EightInOneCubeEveryOp) {
  std::vector<topo::PeCoord> cube0, cube5;
  for (int p = 0; p < 8; ++p) {
    cube0.push_back({0, 0, p});
    cube5.push_back({0, 5, p});
  }
  check_every_op(8, RankMap::per_pe(), "ring_tcm_8", cube0);  // the machine's first 8 PEs
  check_every_op(8, RankMap::per_pe(rt::Device::cube({0, 5})), "ring_tcm_8", cube5);
}

}  // namespace
}  // namespace kernbench::ccl
