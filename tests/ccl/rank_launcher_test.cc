// The distributed API on the launcher: one rank per SIP of a 4-SIP machine (the ring across SIPs
// the previous tool hung on), results bit-exact against a host reference, sub-groups, ranks that
// do not meet ending in a precise error instead of a hang, and rank maps onto cubes and PEs with
// the error of every bad one.
#include "kernbench/ccl/rank_launcher.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "multi_sip_machine.h"

#include "kernbench/base/error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

constexpr std::int64_t kCount = 1001;  // uneven segments over 4 ranks

template <typename T>
std::vector<T> values_of(int rank) {
  std::vector<T> v(kCount);
  for (std::int64_t i = 0; i < kCount; ++i) v[i] = static_cast<T>(1 + (rank + i) % 3);
  return v;
}

// Every rank: set its device, create its tensor, run `op`, read back into results[rank].
template <typename T>
std::vector<std::vector<T>> run(MultiSip& m,
                                const std::function<void(RankContext&, rt::Tensor&)>& op,
                                LaunchOptions options = {}) {
  std::vector<std::vector<T>> results(4);
  run_ranks(
      m.runtime,
      [&](RankContext& ctx) {
        ctx.init_process_group();
        ctx.set_device(ctx.rank());
        rt::Tensor t =
            ctx.session().from_host(rt::HostTensor::from(values_of<T>(ctx.rank()), {kCount}));
        op(ctx, t);
        results[static_cast<std::size_t>(ctx.rank())] = t.to_host().values<T>();
      },
      options);
  return results;
}

TEST(RankLauncher, AllReduceOneRankPerSipIsExact) {
  MultiSip m;
  const auto got = run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) { c.all_reduce(t); });
  for (int r = 0; r < 4; ++r)
    for (std::int64_t i = 0; i < kCount; ++i) {
      std::int32_t expect = 0;
      for (int q = 0; q < 4; ++q) expect += values_of<std::int32_t>(q)[i];
      ASSERT_EQ(got[r][i], expect) << "rank " << r << " i " << i;
    }
  EXPECT_GT(m.engine.now().ps(), 0);
}

TEST(RankLauncher, ProdMaxMinOnIntegerValuedFloats) {
  for (const ReduceOp op : {ReduceOp::prod, ReduceOp::max, ReduceOp::min}) {
    MultiSip m;
    const auto got = run<float>(m, [op](RankContext& c, rt::Tensor& t) { c.all_reduce(t, op); });
    for (std::int64_t i = 0; i < kCount; ++i) {
      float expect = values_of<float>(0)[i];
      for (int q = 1; q < 4; ++q)
        expect = base::combine(combine_op(op), expect, values_of<float>(q)[i]);
      for (int r = 0; r < 4; ++r) ASSERT_EQ(got[r][i], expect) << name(op) << " rank " << r;
    }
  }
}

TEST(RankLauncher, AvgIsTheSumDividedByTheGroupSize) {
  MultiSip m;
  // Values 1 + (r + i) % 3 over 4 ranks sum to 7 or 8; times 4 to divide exactly.
  const auto got = run<float>(m, [](RankContext& c, rt::Tensor& t) {
    c.all_reduce(t);  // sums, then avg of the sums (each rank holds the same sum) is the sum
    c.all_reduce(t, ReduceOp::avg);
  });
  for (std::int64_t i = 0; i < kCount; ++i) {
    float sum = 0;
    for (int q = 0; q < 4; ++q) sum += values_of<float>(q)[i];
    for (int r = 0; r < 4; ++r) ASSERT_EQ(got[r][i], sum) << "rank " << r << " i " << i;
  }
}

TEST(RankLauncher, AvgOfIntegersTruncates) {
  MultiSip m;
  const auto got =
      run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) { c.all_reduce(t, ReduceOp::avg); });
  for (std::int64_t i = 0; i < kCount; ++i) {
    std::int32_t sum = 0;
    for (int q = 0; q < 4; ++q) sum += values_of<std::int32_t>(q)[i];
    ASSERT_EQ(got[2][i], sum / 4) << i;
  }
}

TEST(RankLauncher, ReduceScatterAndAllGatherOwnership) {
  MultiSip m;
  const auto rs = run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) { c.reduce_scatter(t); });
  MultiSip m2;
  const auto ag = run<std::int32_t>(m2, [](RankContext& c, rt::Tensor& t) { c.all_gather(t); });
  for (int r = 0; r < 4; ++r)
    for (int owner = 0; owner < 4; ++owner)
      for (std::int64_t i = kCount * owner / 4; i < kCount * (owner + 1) / 4; ++i) {
        ASSERT_EQ(ag[r][i], values_of<std::int32_t>(owner)[i]) << "all_gather rank " << r;
        if (owner != r) continue;
        std::int32_t sum = 0;
        for (int q = 0; q < 4; ++q) sum += values_of<std::int32_t>(q)[i];
        ASSERT_EQ(rs[r][i], sum) << "reduce_scatter rank " << r << " i " << i;
      }
}

TEST(RankLauncher, SubGroupReducesOnlyItsMembers) {
  MultiSip m;
  const auto got = run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) {
    if (c.rank() % 2 == 1) {
      ProcessGroup& odd = c.new_group({1, 3});
      EXPECT_EQ(odd.size(), 2);
      EXPECT_EQ(odd.rank_of(c.rank()), c.rank() / 2);
      odd.all_reduce(c, t);
    }
    c.barrier();
  });
  for (std::int64_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(got[0][i], values_of<std::int32_t>(0)[i]);
    ASSERT_EQ(got[1][i], values_of<std::int32_t>(1)[i] + values_of<std::int32_t>(3)[i]);
    ASSERT_EQ(got[3][i], got[1][i]);
  }
}

TEST(RankLauncher, TimingOnlyTakesTheSameTime) {
  MultiSip full, timing;
  LaunchOptions options;
  options.timing_only = true;
  run<std::int32_t>(full, [](RankContext& c, rt::Tensor& t) { c.all_reduce(t); });
  run<std::int32_t>(
      timing, [](RankContext& c, rt::Tensor& t) { c.all_reduce(t); }, options);
  EXPECT_EQ(full.engine.now(), timing.engine.now());
}

TEST(RankLauncherErrors, MismatchedCollectivesNameTheRanksAndCalls) {
  MultiSip m;
  try {
    run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) {
      if (c.rank() == 2)
        c.all_gather(t);
      else
        c.all_reduce(t);
    });
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("' failed at "), std::string::npos) << what;
    EXPECT_NE(what.find("mismatched collectives at call #1 of group 'world': rank 0 "
                        "all_reduce(i32 x 1001, sum), rank 1 all_reduce(i32 x 1001, sum), rank 2 "
                        "all_gather(i32 x 1001), rank 3 all_reduce(i32 x 1001, sum)"),
              std::string::npos)
        << what;
  }
}

TEST(RankLauncherErrors, ARankThatNeverCallsIsADeadlock) {
  MultiSip m;
  try {
    run<std::int32_t>(m, [](RankContext& c, rt::Tensor& t) {
      if (c.rank() != 1) c.all_reduce(t);
    });
    FAIL() << "no error";
  } catch (const base::DeadlockError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("process 'rank 0' waits on call #1 of group 'world': arrived rank 0 "
                        "all_reduce(i32 x 1001, sum)"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("not arrived: rank 1"), std::string::npos) << what;
  }
}

TEST(RankLauncherErrors, TensorOffTheRanksPe) {
  MultiSip m;
  EXPECT_THROW(run<std::int32_t>(m,
                                 [](RankContext& c, rt::Tensor& t) {
                                   if (c.rank() == 0) c.set_device(1);
                                   rt::Tensor moved = c.session().zeros({4}, base::DType::i32);
                                   c.all_reduce(moved);
                                   (void)t;
                                 }),
               base::ProcessError);
}

TEST(RankLauncherErrors, WorldLargerThanTheSips) {
  MultiSip m;
  try {
    run_ranks(m.runtime, 5, [](RankContext&) {});
    FAIL() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "world size 5 does not fit one rank per SIP of the machine (4 SIP(s) x 16 cubes x 8 "
              "PEs): it has 4; RankMap::per_cube() or per_pe() place ranks on cubes or PEs");
  }
}

// The default machine: one SIP of 16 cubes of 8 PEs.
struct OneSip {
  sim::Engine engine;
  hw::System system{engine, topo::default_topology()};
  rt::Runtime runtime{system};
};

LaunchOptions mapped(RankMap ranks) {
  LaunchOptions options;
  options.ranks = std::move(ranks);
  return options;
}

TEST(RankLauncher, FourRanksOnCubesOfOneSip) {
  OneSip m;
  std::vector<std::vector<std::int32_t>> got(4);
  run_ranks(
      m.runtime, 4,
      [&](RankContext& ctx) {
        const topo::PeCoord mine{0, ctx.rank(), 0};
        EXPECT_EQ(ctx.pe(), mine);
        EXPECT_EQ(ctx.device(), rt::Device::cube(mine.cube_coord()));
        ctx.set_device(ctx.rank());  // torch-style: rank i's device is device i
        EXPECT_EQ(ctx.session().current_device(), ctx.device());
        ctx.init_process_group();
        rt::Tensor t = ctx.session().from_host(
            rt::HostTensor::from(values_of<std::int32_t>(ctx.rank()), {kCount}));
        EXPECT_EQ(t.shards()[0].pe, mine);  // new tensors land on the rank's own device
        ctx.all_reduce(t);
        got[static_cast<std::size_t>(ctx.rank())] = t.to_host().values<std::int32_t>();
        ctx.set_device((ctx.rank() + 1) % 4);  // the next rank's cube
        EXPECT_EQ(ctx.session().empty({4}).shards()[0].pe,
                  (topo::PeCoord{0, (ctx.rank() + 1) % 4, 0}));
      },
      mapped(RankMap::per_cube()));
  for (int r = 0; r < 4; ++r)
    for (std::int64_t i = 0; i < kCount; ++i) {
      std::int32_t expect = 0;
      for (int q = 0; q < 4; ++q) expect += values_of<std::int32_t>(q)[i];
      ASSERT_EQ(got[r][i], expect) << "rank " << r << " i " << i;
    }
}

TEST(RankLauncher, TheWorldComesFromTheMapWhenNotGiven) {
  OneSip m;
  int cubes = 0;
  run_ranks(
      m.runtime, [&](RankContext& c) { cubes = c.world_size(); }, mapped(RankMap::per_cube()));
  EXPECT_EQ(cubes, 16);
  std::vector<topo::PeCoord> seen(3);
  const std::vector<topo::PeCoord> listed{{0, 3, 0}, {0, 9, 5}, {0, 15, 7}};
  run_ranks(
      m.runtime,
      [&](RankContext& c) {
        seen[static_cast<std::size_t>(c.rank())] = c.session().zeros({4}).shards()[0].pe;
        EXPECT_EQ(c.device(), rt::Device::pe(c.pe()));
      },
      mapped(RankMap::on_pes(listed)));
  EXPECT_EQ(seen, listed);
}

// Each bad mapping names what and where.
TEST(RankLauncherErrors, BadMappingsNameWhatAndWhere) {
  OneSip m;
  const auto fails = [&](int world, RankMap ranks, const std::string& message) {
    try {
      run_ranks(
          m.runtime, world, [](RankContext&) {}, mapped(std::move(ranks)));
      ADD_FAILURE() << "no error for " << message;
    } catch (const base::Error& e) {
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  fails(4, RankMap::per_sip(),
        "world size 4 does not fit one rank per SIP of the machine (1 SIP(s) x 16 cubes x 8 PEs): "
        "it has 1; RankMap::per_cube() or per_pe() place ranks on cubes or PEs");
  fails(129, RankMap::per_pe(),
        "world size 129 does not fit one rank per PE of the machine (1 SIP(s) x 16 cubes x 8 "
        "PEs): it has 128");
  fails(9, RankMap::per_pe(rt::Device::cube({0, 2})),
        "world size 9 does not fit one rank per PE of (sip 0, cube 2): it has 8");
  fails(2, RankMap::on_pes({{0, 1, 1}, {0, 16, 0}}),
        "rank 1 on PE (sip 0, cube 16, pe 0), which the machine does not have (1 SIP(s) x 16 "
        "cubes x 8 PEs)");
  fails(3, RankMap::on_pes({{0, 1, 1}, {0, 1, 2}, {0, 1, 1}}),
        "ranks 0 and 2 are both on PE (sip 0, cube 1, pe 1): a PE runs one rank");
  fails(3, RankMap::on_pes({{0, 1, 1}, {0, 1, 2}}), "world size 3 but the rank map lists 2 PE(s)");
  fails(2, RankMap::per_sip(rt::Device::cube({0, 1})),
        "ranks one per SIP of (sip 0, cube 1): the device is smaller than a SIP (RankMap::per_cube "
        "or per_pe place ranks on smaller units)");
  fails(2, RankMap::per_cube(rt::Device::cube({0, 20})),
        "device (sip 0, cube 20): a SIP has 16 cube(s), cube 0..15");
  fails(0, RankMap::per_pe(), "world size 0: need at least 1");
  rt::Runtime cube1(m.system, rt::Device::cube({0, 1}));
  try {
    run_ranks(
        cube1, 1, [](RankContext&) {}, mapped(RankMap::on_pes({{0, 2, 0}})));
    ADD_FAILURE() << "no error";
  } catch (const base::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "rank 0 on PE (sip 0, cube 2, pe 0), outside the runtime's device (sip 0, cube 1)");
  }
}

TEST(RankLauncherErrors, AGroupOfAnotherSizeThanItsEntry) {
  const auto fails = [](const LaunchOptions& options, const std::string& entry,
                        const std::string& message) {
    OneSip m;
    try {
      run_ranks(
          m.runtime, 4, [&](RankContext& c) { c.init_process_group(entry); }, options);
      ADD_FAILURE() << "no error for " << entry;
    } catch (const base::ProcessError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  };
  LaunchOptions options = mapped(RankMap::per_cube());
  fails(options, "ring_tcm_8",
        "<embedded configs/ccl.yaml>:14:3: algorithms.ring_tcm_8: made for 8 ranks (world_size: "
        "8), but group 'world' has 4 (ranks 0, 1, 2, 3)");
  const CclConfig listed =
      load_ccl_text("algorithms:\n  pair: {kind: ring, ranks: [[0, 0, 0], [0, 3, 7]]}\n", "c.yaml",
                    default_algorithm_registry().kinds());
  options.ccl = &listed;
  fails(options, "pair",
        "c.yaml:2:3: algorithms.pair: made for 2 ranks (a ranks: list), but group 'world' has 4 "
        "(ranks 0, 1, 2, 3)");
}

TEST(RankLauncherErrors, SetDeviceCountsRanks) {
  OneSip m;
  try {
    run_ranks(
        m.runtime, 4, [](RankContext& c) { c.set_device(4); }, mapped(RankMap::per_pe()));
    FAIL() << "no error";
  } catch (const base::ProcessError& e) {
    EXPECT_NE(std::string(e.what()).find("set_device(4): devices are numbered by rank, 0..3 "
                                         "(set_device(i) is rank i's device)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace kernbench::ccl
