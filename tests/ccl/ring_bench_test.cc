#include "kernbench/ccl/ring_bench.h"

#include <gtest/gtest.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

InstallPlan ring_plan(const topo::TopologySpec& spec, int world) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(
      "algorithms: {r: {kind: ring, world_size: " + std::to_string(world) + ", chunk_size: 512}}",
      "t.yaml", registry.kinds());
  return registry.plan(config.entries.front(), spec);
}

// Every dtype, op and ring collective, checked against the host reference: nothing wrong.
TEST(RingBench, CheckedSweepsHaveNoWrongElements) {
  const auto spec = topo::default_topology();
  const InstallPlan plan = ring_plan(spec, 4);
  const std::vector<std::uint64_t> sizes{8, 1000, 4096};
  for (RingKind kind : {RingKind::all_reduce, RingKind::reduce_scatter, RingKind::all_gather})
    for (base::DType dtype : base::kAllDTypes)
      for (base::CombineOp op : {base::CombineOp::sum, base::CombineOp::prod, base::CombineOp::max,
                                 base::CombineOp::min})
        for (const BenchRow& row : run_ring_bench(spec, plan, kind, dtype, op, sizes, true)) {
          ASSERT_TRUE(row.wrong.has_value());
          EXPECT_EQ(*row.wrong, 0u) << name(kind) << " " << base::name(dtype) << " "
                                    << base::name(op) << " " << row.bytes << " B";
        }
}

// Every ring entry of the default ccl.yaml x every op x a few sizes, checked against the host
// reference (collective_bench_test.cc covers every kind and op).
TEST(RingBench, EveryDefaultRingEntryAndOp) {
  const auto spec = topo::default_topology();
  const auto registry = default_algorithm_registry();
  const auto config = default_ccl_config(registry.kinds());
  const std::vector<std::uint64_t> sizes{4, 8192};
  int entries = 0;
  for (const AlgorithmEntry& entry : config.entries) {
    if (entry.kind != "ring") continue;
    ++entries;
    const InstallPlan plan = registry.plan(entry, spec);
    for (base::CombineOp op :
         {base::CombineOp::sum, base::CombineOp::prod, base::CombineOp::max, base::CombineOp::min})
      for (const BenchRow& row :
           run_ring_bench(spec, plan, RingKind::all_reduce, base::DType::i32, op, sizes, true))
        EXPECT_EQ(row.wrong, 0u) << entry.name << " " << base::name(op) << " " << row.bytes << " B";
  }
  EXPECT_EQ(entries, 4);  // ring_default_ws, ring_tcm_8, hbm_8, sram_8
}

TEST(RingBench, BandwidthsFollowNcclTestsFactors) {
  const auto spec = topo::default_topology();
  const InstallPlan plan = ring_plan(spec, 8);
  const std::vector<std::uint64_t> sizes{1 << 20};
  const auto rows = run_ring_bench(spec, plan, RingKind::all_reduce, base::DType::f32,
                                   base::CombineOp::sum, sizes, false);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 262144u);
  EXPECT_FALSE(rows[0].wrong.has_value());  // timing only
  EXPECT_DOUBLE_EQ(rows[0].algbw_gbps, static_cast<double>(1 << 20) / rows[0].time.ns());
  EXPECT_DOUBLE_EQ(rows[0].busbw_gbps, rows[0].algbw_gbps * 2 * 7 / 8);
  EXPECT_DOUBLE_EQ(bus_factor(RingKind::all_gather, 8), 7.0 / 8);
  EXPECT_EQ(parse_ring_kind(name(RingKind::reduce_scatter)), RingKind::reduce_scatter);
}

}  // namespace
}  // namespace kernbench::ccl
