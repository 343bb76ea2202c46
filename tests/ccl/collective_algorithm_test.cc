// A collective algorithm as one object: the keys it declares are read by the loader, its plan
// holds it, its schedule runs, and a program's own algorithm goes everywhere a built-in goes.
#include "kernbench/ccl/collective_algorithm.h"

#include <memory>
#include <numeric>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "multi_sip_machine.h"

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/ccl/rank_context.h"
#include "kernbench/ccl/rank_launcher.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

// A chain 0 - 1 - ... - p-1 with a key of its own ("hops", kept in AlgorithmEntry::values) and
// no schedule but the defaults.
class ChainAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "chain"; }
  std::string_view summary() const override { return "chain: a line of ranks"; }
  std::vector<EntryKey> keys() const override { return {{"hops", EntryKey::Shape::count}}; }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry&, const topo::TopologySpec&,
      const std::vector<topo::PeCoord>& ranks) const override {
    std::vector<std::vector<NeighborSlot>> t(ranks.size());
    for (int r = 0; r + 1 < static_cast<int>(ranks.size()); ++r) {
      t[static_cast<std::size_t>(r)].push_back({"down", r + 1});
      t[static_cast<std::size_t>(r) + 1].push_back({"up", r});
    }
    return t;
  }
};

// The built-in ring's tables and its schedule's ops given one by one (no ring records).
class RingOpByOpAlgorithm final : public CollectiveAlgorithm {
 public:
  std::string_view kind() const override { return "ring_op_by_op"; }
  std::string_view summary() const override { return "the ring's ops, given one by one"; }
  std::vector<std::vector<NeighborSlot>> neighbor_tables(
      const AlgorithmEntry& e, const topo::TopologySpec& spec,
      const std::vector<topo::PeCoord>& ranks) const override {
    return ring_->neighbor_tables(e, spec, ranks);
  }
  Schedule schedule(const InstallPlan& plan, CollectiveOp op, std::uint64_t count,
                    int root) const override {
    Schedule out;
    for (const ScheduleOp& o : ring_->schedule(plan, op, count, root).ops) out.ops.push_back(o);
    return out;
  }

 private:
  std::unique_ptr<CollectiveAlgorithm> ring_ = make_ring_algorithm();
};

AlgorithmRegistry with_plug_ins() {
  AlgorithmRegistry r = default_algorithm_registry();
  r.add(std::make_unique<ChainAlgorithm>());
  r.add(std::make_unique<RingOpByOpAlgorithm>());
  return r;
}

std::string problems_of(std::string_view yaml, const AlgorithmRegistry& registry) {
  try {
    load_ccl_text(yaml, "c.yaml", registry);
  } catch (const base::ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CollectiveAlgorithm, APlugInsKeyIsReadAndRefusedOnOtherKinds) {
  const AlgorithmRegistry registry = with_plug_ins();
  const CclConfig c =
      load_ccl_text("algorithms: {a: {kind: chain, world_size: 4, hops: 3}}", "c.yaml", registry);
  EXPECT_EQ(c.find("a").values.at("hops"), std::vector<int>{3});
  EXPECT_EQ(problems_of("algorithms: {b: {kind: ring, hops: 2}}", registry),
            "c.yaml:1:36: algorithms.b.hops: applies only to kind chain");
  EXPECT_EQ(problems_of("algorithms: {a: {kind: chain, hops: 0}}", registry),
            "c.yaml:1:37: algorithms.a.hops: expected a positive integer, found 0");
  // Without the plug-in the key is not one of ccl.yaml's, nor the kind.
  EXPECT_NE(problems_of("algorithms: {a: {kind: chain, hops: 3}}", default_algorithm_registry())
                .find("unknown algorithm kind 'chain'"),
            std::string::npos);
}

TEST(CollectiveAlgorithm, ThePlanHoldsItsAlgorithmBeyondTheRegistry) {
  const auto spec = topo::default_topology();
  InstallPlan plan;
  const CollectiveAlgorithm* chain = nullptr;
  {
    const AlgorithmRegistry registry = with_plug_ins();
    chain = &registry.find("chain");
    plan = registry.plan(
        load_ccl_text("algorithms: {a: {kind: chain, world_size: 4}}", "c.yaml", registry)
            .entries.front(),
        spec);
  }
  EXPECT_EQ(plan.algorithm.get(), chain);
  EXPECT_EQ(plan.strategy(), chain);
  // broadcast down the chain from rank 1: one stream up to 0, one down to 2 and on to 3.
  EXPECT_EQ(make_schedule(plan, CollectiveOp::broadcast, 100, 1).ops.size(), 3u);
  try {
    make_schedule(plan, CollectiveOp::reduce_scatter, 100, 0);
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(), "reduce_scatter on 'a': kind 'chain' has no schedule for it");
  }
}

// The ring's schedule runs from its ring records (each chunk made as it leaves, dependencies from
// the record): it takes the time, to the picosecond, of the same ops given one by one (run from
// their messages and an index of who waits for what), and both compute the reference. (Until the
// ring had its own executor this compared that executor with the schedule's.)
TEST(CollectiveAlgorithm, TheRingAsAScheduleTakesTheRingExecutorsTime) {
  const AlgorithmRegistry registry = with_plug_ins();
  const CclConfig c = load_ccl_text(
      "algorithms: {ring: {kind: ring, world_size: 8}, "
      "by_op: {kind: ring_op_by_op, world_size: 8}}",
      "c.yaml", registry);
  EXPECT_FALSE(make_schedule(registry.plan(c.find("ring"), topo::default_topology()),
                             CollectiveOp::all_reduce, 1000, 0)
                   .ops.only_rings()
                   .empty());
  const std::vector<std::uint64_t> sizes{4000, 1 << 20};
  for (const char* model : {"chunks", "flows"}) {
    const auto spec = topo::default_topology({std::string("system.fabric_model=") + model});
    for (const CollectiveOp op :
         {CollectiveOp::all_reduce, CollectiveOp::reduce_scatter, CollectiveOp::all_gather}) {
      const auto ring = run_collective_bench(spec, registry.plan(c.find("ring"), spec), op,
                                             base::DType::f32, base::CombineOp::sum, sizes, true);
      const auto schedule =
          run_collective_bench(spec, registry.plan(c.find("by_op"), spec), op, base::DType::f32,
                               base::CombineOp::sum, sizes, true);
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        EXPECT_EQ(ring[i].time, schedule[i].time) << model << " " << name(op) << " " << sizes[i];
        EXPECT_EQ(ring[i].wrong, 0u);
        EXPECT_EQ(schedule[i].wrong, 0u);
      }
    }
  }
}

// Four ranks (one per SIP) all-reduce their data through a group of the program's own kind, which
// the launcher knows only from LaunchOptions::algorithms.
TEST(CollectiveAlgorithm, RanksReachAProgramsOwnAlgorithmThroughTheLaunchOptions) {
  const AlgorithmRegistry registry = with_plug_ins();
  const CclConfig config = load_ccl_text(
      "algorithms: {mine: {kind: ring_op_by_op, chunk_size: 1024}}", "c.yaml", registry);
  constexpr std::int64_t kCount = 1000;
  const auto all_reduce = [&](const LaunchOptions& options) {
    MultiSip m;
    std::vector<std::vector<std::int32_t>> results(4);
    run_ranks(
        m.runtime,
        [&](RankContext& ctx) {
          ctx.init_process_group("mine");
          std::vector<std::int32_t> v(kCount);
          std::iota(v.begin(), v.end(), ctx.rank() * 10000);
          rt::Tensor t = ctx.session().from_host(rt::HostTensor::from(v, {kCount}));
          ctx.all_reduce(t);
          results[static_cast<std::size_t>(ctx.rank())] = t.to_host().values<std::int32_t>();
        },
        options);
    return results;
  };
  LaunchOptions options;
  options.ccl = &config;
  options.algorithms = &registry;
  const auto results = all_reduce(options);
  for (int r = 0; r < 4; ++r)
    for (std::int64_t i = 0; i < kCount; ++i)
      ASSERT_EQ(results[static_cast<std::size_t>(r)][static_cast<std::size_t>(i)], 60000 + 4 * i)
          << "rank " << r << " element " << i;
  options.algorithms = nullptr;  // the built-ins only: the entry's kind is unknown
  EXPECT_THROW(all_reduce(options), base::ProcessError);
}

TEST(CollectiveOps, EveryOpOnceInDeclarationOrderAndByName) {
  std::set<CollectiveOp> seen;
  for (std::size_t i = 0; i < kAllCollectiveOps.size(); ++i) {
    const CollectiveOp op = kAllCollectiveOps[i];
    EXPECT_EQ(static_cast<std::size_t>(op), i);
    EXPECT_EQ(parse_collective_op(name(op)), op);
    seen.insert(op);
  }
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_EQ(name(kAllCollectiveOps.back()), "all_to_all");
}

TEST(CollectiveBenchHostMemory, ACheckedSweepPastTheBudgetIsRefusedByName) {
  const auto spec = topo::default_topology();
  EXPECT_NO_THROW(check_bench_host_memory(spec, "ring_tcm_8", 8, 1 << 20, true, 0));
  try {
    check_bench_host_memory(spec, "ring_tcm_8", 8, std::uint64_t{1} << 30, true, 1 << 30);
    FAIL() << "no error";
  } catch (const base::HostMemoryLimitError& e) {
    EXPECT_EQ(
        std::string(e.what()).rfind("--check of ring_tcm_8 over 8 ranks of 1 GiB needs about ", 0),
        0u)
        << e.what();
  }
  try {
    check_bench_host_memory(spec, "ring_tcm_8", 8, std::uint64_t{1} << 30, false, 1);
    FAIL() << "no error";
  } catch (const base::HostMemoryLimitError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("a machine of 128 PEs needs about ", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace kernbench::ccl
