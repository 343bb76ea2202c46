// Program: grid coordinates, arguments, the kernel adapter, and work charged by the ops.
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

TEST(Program, IdsAndExtentsAreI32ScalarsOfTheProgram) {
  testing::Rig rig;
  std::vector<std::int64_t> seen;
  rig.run(
      [&](Program& p) {
        const Tile id = p.program_id(1);
        EXPECT_EQ(id.dtype(), DType::i32);
        EXPECT_EQ(id.rank(), 0);
        EXPECT_EQ(id.program(), &p);
        EXPECT_EQ(p.num_programs(0).item(), 2);
        EXPECT_EQ(p.num_programs(1).item(), 3);
        EXPECT_EQ(p.num_programs(2).item(), 1);
        seen.push_back(id.item());
        EXPECT_THROW(p.program_id(3), SemanticError);
      },
      {}, rt::Grid{2, 3, 1});
  EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2, 0, 1, 2}));
}

TEST(Program, ArgumentsAsPointersAndScalars) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::bf16, {1, 2});
  rig.run(
      [&](Program& p) {
        const Tile ptr = p.pointer(0);
        EXPECT_TRUE(ptr.is_pointer());
        EXPECT_EQ(ptr.dtype(), DType::bf16);
        EXPECT_EQ(ptr.address(0), t.va.value());
        EXPECT_EQ(p.tensor(0).shape, (std::vector<std::int64_t>{2}));
        EXPECT_EQ(p.scalar(1).dtype(), DType::boolean);
        EXPECT_EQ(p.scalar(2, DType::f64).dtype(), DType::f64);
        EXPECT_THROW(p.pointer(1), base::ShapeError);
        EXPECT_THROW(p.scalar(0), base::ShapeError);
        EXPECT_THROW(p.scalar(9), base::ShapeError);
      },
      {t, rt::ScalarArg{DType::boolean, true}, rt::ScalarArg{DType::f64, 2.5}});
}

TEST(Program, KernelAdapterRunsTheBody) {
  testing::Rig rig;
  int runs = 0;
  const rt::KernelFn k =
      kernel([&](Program& p) { runs += static_cast<int>(p.program_id(0).item()) + 1; });
  rig.run([&](Program& p) { k(p.context()); }, {}, rt::Grid{3});
  EXPECT_EQ(runs, 1 + 2 + 3);
}

TEST(Program, OpsChargeTheProgramTheirOperandsCameFrom) {
  testing::Rig rig;
  rig.run(
      [](Program& p) {
        const Tile offs = p.program_id(0) * 64 + arange(0, 64);  // 64 adds (+ 1 scalar mul)
        (void)exp(offs.to(DType::f32));                          // 64 casts, 64 transcendental
        (void)dot(zeros({16, 8}, DType::f16).with_program(&p), zeros({8, 4}, DType::f16));
        (void)(arange(0, 64) + 1);  // constants outside any program are free
      },
      {});
  EXPECT_EQ(rig.last_work().vector_elements, 1 + 64 + 64);
  EXPECT_EQ(rig.last_work().transcendental_elements, 64);
  EXPECT_EQ(rig.last_work().matrix_macs, 16 * 8 * 4);
}

}  // namespace
}  // namespace kernbench::tl

namespace kernbench::tl {
namespace {

// Unit times from the spec's figures (never from the model's output).
TEST(ProgramAnalytic, VectorAndMatrixWorkHoldTheUnitsForTheirCycles) {
  testing::Rig rig;
  const topo::CoreSpec& core = rig.system().spec().cube.pe.core;
  const auto cycles = [&](std::int64_t n) {
    return base::cycles_to_time(base::Cycles(static_cast<std::uint64_t>(n)), core.clock);
  };
  const auto up = [](std::int64_t v, int t) { return (v + t - 1) / t * t; };
  std::vector<base::SimTime> spans;
  rig.run(
      [&](Program& p) {
        sim::Process& proc = p.context().process();
        const Tile z = zeros({1024}, DType::i32).with_program(&p);
        auto t0 = proc.now();
        const Tile x = z + 1;  // 1024 x 32-bit
        spans.push_back(proc.now() - t0);
        t0 = proc.now();
        const Tile h = x.to(DType::f16);  // 1024 x 16-bit: twice the lanes
        spans.push_back(proc.now() - t0);
        t0 = proc.now();
        (void)exp(x.to(DType::f32));  // a cast, then 1024 transcendentals
        spans.push_back(proc.now() - t0);
        t0 = proc.now();
        (void)dot(reshape(h, Shape{16, 64}), zeros({64, 8}, DType::f16));
        spans.push_back(proc.now() - t0);
      },
      {});
  ASSERT_EQ(spans.size(), 4u);
  EXPECT_EQ(spans[0], cycles(1024 / core.vector_lanes));
  EXPECT_EQ(spans[1], cycles(1024 / (2 * core.vector_lanes)));
  EXPECT_EQ(spans[2], cycles(1024 / core.vector_lanes) + cycles(1024 / core.transcendental_lanes));
  const std::int64_t macs =
      up(16, core.matrix_tile_m) * up(8, core.matrix_tile_n) * up(64, core.matrix_tile_k);
  const int rate = core.matrix_macs_per_cycle.at(DType::f16);
  EXPECT_EQ(spans[3], cycles((macs + rate - 1) / rate));
}

}  // namespace
}  // namespace kernbench::tl
