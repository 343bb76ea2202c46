// The bench registry and the default benches' roofline figures.
#include <gtest/gtest.h>

#include "benches/bench_machine.h"
#include "benches/default_benches.h"
#include "benches/matmul_persistent.h"
#include "benches/matmul_roofline.h"
#include "benches/suite_kernels.h"

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

// Every default bench but none declares its shape parameters; --param values reach the bench
// and change its shape, the defaults leave it as it was.
TEST(BenchParams, EveryDefaultBenchDeclaresItsShape) {
  BenchRegistry registry;
  register_default_benches(registry);
  for (const std::string& name : registry.names())
    EXPECT_FALSE(registry.find(name).params.empty()) << name;
  EXPECT_EQ(param_names(registry.find("matmul").params), "M, N, K");
  EXPECT_EQ(param_names(registry.find("softmax").params), "rows, cols");
  EXPECT_EQ(param_names(registry.find("attention").params), "M, N, D");
}

TEST(BenchParams, GivenValuesReshapeTheBench) {
  BenchRegistry registry;
  register_default_benches(registry);
  BenchContext ctx;
  ctx.spec = topo::default_topology();
  ctx.data = DataMode::timing_only;
  const report::BenchRecord plain = registry.find("softmax").run(ctx);
  ctx.params.parse("rows=4096");
  ctx.params.parse("cols=512");
  const report::BenchRecord shaped = registry.find("softmax").run(ctx);
  EXPECT_EQ(plain.shape, "2048x1000 f32");
  EXPECT_EQ(shaped.shape, "4096x512 f32");
  EXPECT_NE(plain.time, shaped.time);
}

TEST(BenchParamsErrors, NameTheArgumentAndTheNearestParameter) {
  BenchRegistry registry;
  register_default_benches(registry);
  const auto message = [&](std::vector<std::string> args, std::vector<std::string> benches) {
    try {
      BenchParams params;
      for (const auto& a : args) params.parse(a);
      std::vector<const Bench*> chosen;
      for (const auto& b : benches) chosen.push_back(&registry.find(b));
      check_params(chosen, params);
    } catch (const base::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(
      message({"m=4"}, {"matmul"}),
      "--param m=4: no bench run takes 'm' (did you mean 'M'?); parameters: matmul (M, N, K)");
  EXPECT_EQ(
      message({"k=4"}, {"matmul"}),
      "--param k=4: no bench run takes 'k' (did you mean 'K'?); parameters: matmul (M, N, K)");
  EXPECT_EQ(message({"rows=4"}, {"matmul", "all_reduce"}),
            "--param rows=4: no bench run takes 'rows'; parameters: matmul (M, N, K); all_reduce "
            "(count)");
  EXPECT_EQ(message({"M=four"}, {"matmul"}),
            "--param M=four: expected a whole number of at least 1 for M, found \"four\"");
  EXPECT_EQ(message({"M=0"}, {"matmul"}),
            "--param M=0: expected a whole number of at least 1 for M, found \"0\"");
  EXPECT_EQ(message({"M"}, {"matmul"}),
            "--param M: expected NAME=VALUE, e.g. --param M=4096 (docs/benches.md lists each "
            "bench's parameters)");
  EXPECT_EQ(message({"M=64", "rows=8"}, {"matmul", "softmax"}), "no error");
}

// The suite's kernels are in a kernel registry under their bench names, each with its arguments
// and grid, beside rt's demo kernels.
TEST(SuiteKernels, AreRegisteredUnderTheirBenchNames) {
  rt::KernelRegistry kernels;
  register_suite_kernels(kernels);
  EXPECT_EQ(kernels.names(), (std::vector<std::string>{"attention", "layernorm", "matmul",
                                                       "matmul_persistent", "softmax"}));
  EXPECT_EQ(kernels.help("softmax"),
            "row-wise softmax, f32; args (x [rows, cols], y); grid cdiv(local rows, 4)");
  EXPECT_NE(kernels.help("matmul").find("grid (cdiv(local M, 64), cdiv(N, 128))"),
            std::string::npos);
  EXPECT_TRUE(static_cast<bool>(kernels.find("attention")));
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
