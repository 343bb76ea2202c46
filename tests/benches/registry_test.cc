// The bench registry and the default benches' roofline figures.
#include <gtest/gtest.h>

#include "benches/bench_machine.h"
#include "benches/default_benches.h"
#include "benches/matmul_persistent.h"
#include "benches/matmul_roofline.h"

#include "kernbench/base/error.h"
#include "kernbench/topo/peak_figures.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::benches {
namespace {

TEST(BenchRegistry, HoldsTheDefaultBenchesInOrder) {
  BenchRegistry registry;
  register_default_benches(registry);
  EXPECT_EQ(registry.names(),
            (std::vector<std::string>{"deploy", "matmul", "softmax", "layernorm", "all_reduce",
                                      "vector_add", "matmul_persistent", "attention"}));
}

TEST(BenchRegistryErrors, UnknownNameListsTheKnownOnes) {
  BenchRegistry registry;
  register_default_benches(registry);
  try {
    registry.find("softmx");
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(),
                 "unknown bench 'softmx' (did you mean 'softmax'?); known: deploy, matmul, "
                 "softmax, layernorm, all_reduce, vector_add, matmul_persistent, attention");
  }
}

TEST(MatmulRoofline, BoundsComeFromTheSpec) {
  const topo::TopologySpec spec = topo::default_topology();
  const MatmulShape shape{256, 256, 256};
  const MatmulTiles tiles{128, 128, 64};
  // Per PE: A twice (two column blocks), B twice (two row blocks), C once.
  EXPECT_DOUBLE_EQ(matmul_bytes_per_pe(shape, 256, tiles),
                   2.0 * 256 * 256 * 2 + 2.0 * 256 * 256 * 2 + 256.0 * 256 * 4);
  const Roofline r = matmul_roofline(spec, shape, matmul_bytes_per_pe(shape, 256, tiles), 1);
  EXPECT_DOUBLE_EQ(r.matrix_peak_flops,
                   topo::matrix_flops(spec, base::DType::f16, topo::Scope::pe));
  const double share =
      static_cast<double>(topo::hbm_bandwidth(spec, topo::Scope::cube).bytes_per_second()) /
      static_cast<double>(topo::pes_in(spec, topo::Scope::cube));
  EXPECT_DOUBLE_EQ(r.memory_bound_flops,
                   2.0 * 256 * 256 * 256 / (matmul_bytes_per_pe(shape, 256, tiles) / share));
  EXPECT_EQ(r.bound_name(), r.matrix_peak_flops <= r.memory_bound_flops ? "matrix" : "memory");
}

// The model never beats the spec's roofline: the DMA engine's per-page MMU walks and transfer
// latencies only add to the time the bounds assume.
TEST(MatmulRoofline, AchievedRateStaysBelowTheBoundOnOnePe) {
  BenchMachine machine(topo::default_topology());
  const BenchResult r = run_matmul(machine.session(), {128, 256, 256}, Spread::pe, {64, 256, 64});
  ASSERT_TRUE(r.roofline.has_value());
  EXPECT_TRUE(r.check.pass);
  EXPECT_GT(r.flops_per_second(), 0.0);
  EXPECT_LE(r.flops_per_second(), r.roofline->bound_flops());
}

// Issue 5 point 15: on a large shape with every operand in the PE's home slices, the persistent
// kernel comes within 15% of min(matrix peak, bytes / HBM share), and the bound is named.
TEST(MatmulRoofline, PersistentKernelComesWithin15PercentOnALargeLocalShape) {
  BenchMachine machine(topo::default_topology());
  const BenchResult r = run_matmul_persistent(machine.session(), {2048, 512, 512}, Spread::pe, 128);
  ASSERT_TRUE(r.roofline.has_value());
  EXPECT_TRUE(r.check.pass) << r.check.detail;
  EXPECT_EQ(r.roofline->bound_name(), "matrix");
  EXPECT_GE(r.flops_per_second(), 0.85 * r.roofline->bound_flops())
      << r.flops_per_second() << " vs " << r.roofline->bound_flops();
  EXPECT_LE(r.flops_per_second(), r.roofline->bound_flops());
}

}  // namespace
}  // namespace kernbench::benches
