#include "kernbench/rt/program_context.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/sim/process.h"

namespace kernbench::rt {
namespace {

// Runs `check` with a context over `args` inside a process on PE (0, 0, 2).
template <typename F>
void with_context(std::vector<KernelArg> args, Grid grid, F check) {
  testing::Machine m;
  m.engine.spawn("program", [&](sim::Process& p) {
    ProgramContext ctx(p, m.system.pe({0, 0, 2}), "probe", grid, {1, 0, 3}, args);
    check(ctx);
  });
  m.engine.run();
}

std::vector<KernelArg> tensor_and_scalar() {
  TensorArg t{"x", base::DType::f16, mem::VirtAddr(0x40000000), {2, 3}, {3, 1}, {2, 0}, {4, 3}};
  return {t, ScalarArg{base::DType::i64, std::int64_t{7}}};
}

TEST(ProgramContext, ReportsItsPlaceAndArguments) {
  with_context(tensor_and_scalar(), Grid{2, 1, 4}, [](ProgramContext& ctx) {
    EXPECT_EQ(ctx.kernel(), "probe");
    EXPECT_EQ(ctx.pe().coord(), (topo::PeCoord{0, 0, 2}));
    EXPECT_EQ(ctx.program_id(0), 1);
    EXPECT_EQ(ctx.program_id(2), 3);
    EXPECT_EQ(ctx.num_programs(0), 2);
    EXPECT_EQ(ctx.num_programs(1), 1);
    EXPECT_EQ(ctx.num_programs(2), 4);
    EXPECT_EQ(ctx.tensor(0).name, "x");
    EXPECT_EQ(ctx.tensor(0).numel(), 6);
    EXPECT_EQ(std::get<std::int64_t>(ctx.scalar(1).value), 7);
  });
}

TEST(ProgramContextErrors, WrongKindOrIndexNamesTheKernelAndArgument) {
  with_context(tensor_and_scalar(), Grid{1}, [](ProgramContext& ctx) {
    const auto message = [](auto f) {
      try {
        f();
      } catch (const base::ShapeError& e) {
        return std::string(e.what());
      }
      return std::string("<none>");
    };
    EXPECT_EQ(message([&] { ctx.tensor(1); }),
              "kernel 'probe': argument 1 is a scalar, not a tensor");
    EXPECT_EQ(message([&] { ctx.scalar(0); }),
              "kernel 'probe': argument 0 is a tensor 'x', not a scalar");
    EXPECT_EQ(message([&] { ctx.tensor(2); }),
              "kernel 'probe': argument 2 asked for, but the launch has 2");
    EXPECT_EQ(message([&] { ctx.num_programs(3); }),
              "kernel 'probe': grid axis 3 does not exist (0, 1 or 2)");
  });
}

TEST(TensorArg, NumelOfAZeroDimensionalShardIsOne) {
  EXPECT_EQ(TensorArg{}.numel(), 1);
  TensorArg empty;
  empty.shape = {3, 0};
  EXPECT_EQ(empty.numel(), 0);
}

}  // namespace
}  // namespace kernbench::rt
