// The distributed API with every algorithm kind: all_reduce through each kind's process group,
// broadcast, reduce and all_to_all, their errors, and group creations that can never meet.
#include <cstdint>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "multi_sip_machine.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"

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

}  // namespace
}  // namespace kernbench::ccl
