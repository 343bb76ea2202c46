// Every algorithm of the embedded ccl.yaml x every collective x a few sizes, full data, checked
// against the host reference (issue 6 point 9); every dtype on every kind; the sweep's factors.
#include "kernbench/ccl/collective_bench.h"

#include <array>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/ring_bench.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

constexpr std::array kOps{CollectiveOp::all_reduce, CollectiveOp::reduce_scatter,
                          CollectiveOp::all_gather, CollectiveOp::broadcast,
                          CollectiveOp::reduce,     CollectiveOp::all_to_all};

InstallPlan plan_of(const topo::TopologySpec& spec, const std::string& yaml) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(yaml, "t.yaml", registry.kinds());
  return registry.plan(config.entries.front(), spec);
}

TEST(CollectiveMatrix, EveryDefaultEntryOpAndSize) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  const auto config = default_ccl_config(registry.kinds());
  const std::vector<std::uint64_t> sizes{4, 8192, 40012};  // one element, even, uneven segments
  std::set<std::string> kinds;
  for (const AlgorithmEntry& entry : config.entries) {
    kinds.insert(entry.kind);
    const InstallPlan plan = registry.plan(entry, spec);
    for (const CollectiveOp op : kOps) {
      const int root =
          op == CollectiveOp::broadcast || op == CollectiveOp::reduce ? plan.world_size() - 1 : 0;
      for (const BenchRow& row : run_collective_bench(spec, plan, op, base::DType::i32,
                                                      base::CombineOp::sum, sizes, true, root)) {
        EXPECT_EQ(row.wrong, 0u) << entry.name << " " << name(op) << " " << row.bytes << " B";
        if (row.count > 0 && plan.world_size() > 1) {
          EXPECT_GT(row.time.ps(), 0) << entry.name << " " << name(op);
        }
      }
    }
  }
  EXPECT_EQ(kinds.size(), 5u);  // ring, tree, mesh_2d, halving_doubling, hierarchical
}

// Under the flow model of the fabric every default entry and op still computes the right result,
// and the full-data run takes exactly the timing-only time.
TEST(CollectiveMatrix, EveryDefaultEntryAndOpUnderFlows) {
  const auto spec = topo::default_topology({"system.fabric_model=flows"});
  const auto registry = default_algorithm_registry();
  const auto config = default_ccl_config(registry.kinds());
  const std::vector<std::uint64_t> sizes{4, 40012};
  for (const AlgorithmEntry& entry : config.entries) {
    const InstallPlan plan = registry.plan(entry, spec);
    for (const CollectiveOp op : kOps) {
      const int root =
          op == CollectiveOp::broadcast || op == CollectiveOp::reduce ? plan.world_size() - 1 : 0;
      const auto checked = run_collective_bench(spec, plan, op, base::DType::i32,
                                                base::CombineOp::sum, sizes, true, root);
      const auto timed = run_collective_bench(spec, plan, op, base::DType::i32,
                                              base::CombineOp::sum, sizes, false, root);
      ASSERT_EQ(checked.size(), timed.size());
      for (std::size_t i = 0; i < checked.size(); ++i) {
        EXPECT_EQ(checked[i].wrong, 0u) << entry.name << " " << name(op) << " " << checked[i].bytes;
        EXPECT_EQ(checked[i].time, timed[i].time) << entry.name << " " << name(op);
      }
    }
  }
}

TEST(CollectiveMatrix, EveryReductionOnEveryKind) {
  const auto spec = topo::default_topology({"system.sips.count=2"});
  for (const std::string kind : {"ring", "tree", "mesh_2d", "halving_doubling", "hierarchical"}) {
    // hierarchical: 2 PEs in cubes 0-7 of SIP 0, one in every other cube of both SIPs
    const std::string world = kind == "hierarchical" ? "40, mapping: cube_major" : "16";
    const InstallPlan plan = plan_of(
        spec, fmt::format("algorithms: {{a: {{kind: {}, world_size: {}, chunk_size: 512}}}}", kind,
                          world));
    for (const CollectiveOp op :
         {CollectiveOp::all_reduce, CollectiveOp::reduce_scatter, CollectiveOp::reduce})
      for (const base::CombineOp redop : {base::CombineOp::sum, base::CombineOp::prod,
                                          base::CombineOp::max, base::CombineOp::min})
        for (const base::DType dtype : {base::DType::f32, base::DType::bf16, base::DType::i8})
          for (const BenchRow& row : run_collective_bench(
                   spec, plan, op, dtype, redop, std::vector<std::uint64_t>{3000}, true, 5))
            EXPECT_EQ(row.wrong, 0u)
                << kind << " " << name(op) << " " << base::name(redop) << " " << base::name(dtype);
  }
}

TEST(CollectiveMatrix, EveryDtypeOnEveryKind) {
  const auto spec = topo::default_topology();
  for (const std::string kind : {"tree", "mesh_2d", "halving_doubling", "hierarchical"}) {
    const InstallPlan plan = plan_of(
        spec, fmt::format("algorithms: {{a: {{kind: {}, world_size: 8, chunk_size: 256, mapping: "
                          "cube_major}}}}",
                          kind));
    for (const CollectiveOp op : kOps)
      for (const base::DType dtype : base::kAllDTypes)
        for (const BenchRow& row : run_collective_bench(spec, plan, op, dtype, base::CombineOp::sum,
                                                        std::vector<std::uint64_t>{1000}, true, 3))
          EXPECT_EQ(row.wrong, 0u) << kind << " " << name(op) << " " << base::name(dtype);
  }
}

// A SIP leader that is not its mesh ring's first rank (ranks [[0,1,0],[0,0,0],[1,0,0]] on 2 SIPs of
// 2x1 cubes of 2 PEs: rank 1 in cube 0 leads SIP 0, rank 0 sits in cube 1): every op computes the
// right result under both fabric models. The hierarchy's mesh level once grew its tree from rank
// 0, never reached rank 0's sends from the SIP leaders, and got every all_reduce element wrong.
TEST(CollectiveMatrix, HierarchicalWhoseSipLeaderIsNotTheMeshRingsFirstRank) {
  for (const std::string model : {"chunks", "flows"}) {
    const auto spec =
        topo::default_topology({"system.sips.count=2", "sip.cube_mesh.w=2", "sip.cube_mesh.h=1",
                                "system.sips.cubes_per_sip=2", "cube.pe_layout.corners=1",
                                "cube.pe_layout.pe_per_corner=2", "system.fabric_model=" + model});
    const InstallPlan plan = plan_of(
        spec, "algorithms: {scattered: {kind: hierarchical, ranks: [[0,1,0],[0,0,0],[1,0,0]]}}");
    ASSERT_EQ(plan.world_size(), 3);
    for (const CollectiveOp op : kOps)
      for (const BenchRow& row :
           run_collective_bench(spec, plan, op, base::DType::f32, base::CombineOp::sum,
                                std::vector<std::uint64_t>{1024, 40012, 65536}, true, 2))
        EXPECT_EQ(row.wrong, 0u) << model << " " << name(op) << " " << row.bytes << " B";
  }
}

TEST(CollectiveBench, BusFactorsFollowNcclTests) {
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_reduce, 8), 2.0 * 7 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::reduce_scatter, 8), 7.0 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_gather, 4), 3.0 / 4);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::all_to_all, 4), 3.0 / 4);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::broadcast, 4), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveOp::reduce, 4), 1.0);
  for (const CollectiveOp op : kOps) EXPECT_EQ(parse_collective_op(name(op)), op);
  EXPECT_FALSE(parse_collective_op("allreduce").has_value());
}

TEST(CollectiveBench, AllToAllRoundsToWholeParts) {
  const auto spec = topo::default_topology();
  const InstallPlan plan = plan_of(spec, "algorithms: {a: {kind: tree, world_size: 7}}");
  const auto rows =
      run_collective_bench(spec, plan, CollectiveOp::all_to_all, base::DType::f32,
                           base::CombineOp::sum, std::vector<std::uint64_t>{1000}, true);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 245u);  // 250 elements, rounded down to 35 x 7
  EXPECT_EQ(rows[0].wrong, 0u);
  EXPECT_DOUBLE_EQ(rows[0].busbw_gbps, rows[0].algbw_gbps * 6 / 7);
}

}  // namespace
}  // namespace kernbench::ccl
