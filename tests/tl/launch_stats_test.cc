// Kernel-language programs launched through the runtime report where their time went: the
// launch's per-program records carry each program's figures, summed per PE and over the launch;
// hand-computable kernels pin the numbers (closed forms from the spec, never the model).
#include <gtest/gtest.h>

#include "rt/rt_test_support.h"

#include "kernbench/rt/session.h"
#include "kernbench/tl/tl.h"

namespace kernbench::tl {
namespace {

using base::SimTime;

struct Core {
  explicit Core(const rt::testing::Machine& m) : core(m.system.spec().cube.pe.core) {}
  const topo::CoreSpec& core;
  SimTime cycles(std::int64_t n) const {
    return base::cycles_to_time(base::Cycles(static_cast<std::uint64_t>(n)), core.clock);
  }
  // One f32 element-wise op over n elements.
  SimTime f32_op(std::int64_t n) const {
    return cycles((n + core.vector_lanes - 1) / core.vector_lanes);
  }
  // An (m, k) @ (k, n) f16 product on the matrix unit.
  SimTime f16_dot(std::int64_t m, std::int64_t n, std::int64_t k) const {
    const auto up = [](std::int64_t v, int t) { return (v + t - 1) / t * t; };
    const std::int64_t macs =
        up(m, core.matrix_tile_m) * up(n, core.matrix_tile_n) * up(k, core.matrix_tile_k);
    const int rate = core.matrix_macs_per_cycle.at(DType::f16);
    return cycles((macs + rate - 1) / rate);
  }
};

// Rows of `rows` x 4 f32 over the 4 PEs of SIP 0's first cube.
rt::Tensor on_four_pes(rt::Session& s, std::int64_t rows) {
  return s.zeros({rows, 4}, DType::f32, {{}, {}, rt::LevelPlacement::rows()}, "t");
}

TEST(LaunchStatsAnalytic, VectorOnlyKernelHasNoDmaNoMatrixNoWait) {
  rt::testing::Machine m;
  const Core c(m);
  constexpr std::int64_t kN = 2048;
  const rt::Tensor t = on_four_pes(m.runtime.host(), 4);
  const rt::KernelFn k = kernel([](Program& p) {
    Tile x = full({kN}, 1.0, DType::f32).with_program(&p);
    for (int i = 0; i <= p.program_id(0).item(); ++i) x = x + 1.0f;  // program x: x + 1 adds
  });
  const rt::LaunchHandle h = m.runtime.host().launch(k, rt::Grid{3}, t);
  ASSERT_EQ(h.stats->programs().size(), 12u);
  for (const rt::ProgramRecord& r : h.stats->programs()) {
    EXPECT_TRUE(r.reported);
    const SimTime vector = (r.program_id[0] + 1) * c.f32_op(kN);
    EXPECT_EQ(r.stats.vector, vector);
    EXPECT_EQ(r.stats.dma, SimTime::zero());
    EXPECT_EQ(r.stats.matrix, SimTime::zero());
    EXPECT_EQ(r.stats.wait, SimTime::zero());
    EXPECT_EQ(r.stats.elapsed, vector);
    EXPECT_EQ(r.end - r.start, vector);
    EXPECT_EQ(r.stats.dma_requests, 0);
    // x, the next x and the literal 1.0f (a 4-byte scalar of the program) live at once.
    EXPECT_EQ(r.stats.tcm_peak_bytes, 2 * kN * 4u + 4u);
  }
  for (const rt::PeStats& pe : h.stats->pes()) {
    EXPECT_EQ(pe.programs, 3);
    EXPECT_EQ(pe.total.vector, 6 * c.f32_op(kN));  // 1 + 2 + 3 adds
    EXPECT_EQ(pe.total.elapsed, pe.end - pe.start);
  }
  EXPECT_EQ(h.stats->total().vector, 4 * 6 * c.f32_op(kN));
  EXPECT_EQ(h.stats->total().dma, SimTime::zero());
}

TEST(LaunchStatsAnalytic, DotKernelChargesTheMatrixUnitOnly) {
  rt::testing::Machine m;
  const Core c(m);
  const rt::Tensor t = on_four_pes(m.runtime.host(), 4);
  const rt::KernelFn k = kernel([](Program& p) {
    const Tile a = zeros({32, 64}, DType::f16).with_program(&p);
    const Tile b = zeros({64, 8}, DType::f16).with_program(&p);
    (void)dot(a, b);
  });
  const rt::LaunchHandle h = m.runtime.host().launch(k, rt::Grid{2}, t);
  const rt::PeStats& pe = h.stats->pe({0, 0, 3});
  EXPECT_EQ(pe.total.matrix, 2 * c.f16_dot(32, 8, 64));
  EXPECT_EQ(pe.total.vector, SimTime::zero());
  EXPECT_EQ(pe.total.dma, SimTime::zero());
  EXPECT_EQ(pe.total.elapsed, pe.total.matrix);
}

// A vector add through memory: per program two loads and a store; time is vector + wait exactly,
// and the sums over PEs equal the sums over programs.
TEST(LaunchStatsAnalytic, LoadComputeStoreSumsOverPesEqualSumsOverPrograms) {
  rt::testing::Machine m;
  const Core c(m);
  rt::Session& s = m.runtime.host();
  constexpr std::int64_t kBlock = 64;
  const rt::Placement rows{{}, {}, rt::LevelPlacement::rows()};
  const rt::Tensor x = s.full({4 * 2 * kBlock}, 1.0, DType::f32, rows, "x");
  const rt::Tensor y = s.full({4 * 2 * kBlock}, 2.0, DType::f32, rows, "y");
  const rt::Tensor out = s.zeros({4 * 2 * kBlock}, DType::f32, rows, "out");
  const rt::KernelFn k = kernel([](Program& p) {
    const Tile offs = p.program_id(0) * kBlock + arange(0, kBlock);
    store(p.pointer(2) + offs, load(p.pointer(0) + offs) + load(p.pointer(1) + offs));
  });
  const rt::LaunchHandle h = s.launch(k, rt::Grid{2}, x, y, out);
  EXPECT_EQ(out.to_host().values<float>(), std::vector<float>(4 * 2 * kBlock, 3.0f));
  rt::ProgramStats over_programs;
  for (const rt::ProgramRecord& r : h.stats->programs()) {
    EXPECT_EQ(r.stats.dma_requests, 3);
    EXPECT_GT(r.stats.dma, SimTime::zero());
    EXPECT_GT(r.stats.wait, SimTime::zero());  // the add waits for its loads
    EXPECT_EQ(r.stats.elapsed, r.stats.vector + r.stats.matrix + r.stats.wait);
    EXPECT_EQ(r.end - r.start, r.stats.elapsed);
    over_programs += r.stats;
  }
  rt::ProgramStats over_pes;
  for (const rt::PeStats& pe : h.stats->pes()) over_pes += pe.total;
  EXPECT_EQ(over_pes, over_programs);
  EXPECT_EQ(h.stats->total(), over_programs);
  EXPECT_EQ(over_programs.dma_requests, 4 * 2 * 3);
}

}  // namespace
}  // namespace kernbench::tl
