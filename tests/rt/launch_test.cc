#include "kernbench/rt/launch.h"

#include <gtest/gtest.h>

#include "rt_test_support.h"

#include "kernbench/base/error.h"
#include "kernbench/hw/pe.h"
#include "kernbench/rt/demo_kernels.h"
#include "kernbench/sim/process.h"

namespace kernbench::rt {
namespace {

using base::DType;
using testing::Machine;
using topo::PeCoord;

TEST(Launch, EachTargetPeRunsTheWholeGridWithXOutermostThenYThenZ) {
  // Triton's interpreter runs `for x: for y: for z:`; a PE runs its programs in that order.
  Machine m;
  const Tensor t = m.runtime.host().zeros({8}, DType::f32, {{}, {}, LevelPlacement::rows(2)});
  std::vector<std::pair<PeCoord, std::array<std::int64_t, 3>>> ran;
  m.runtime.host().launch(
      [&](ProgramContext& ctx) {
        ran.push_back(
            {ctx.pe().coord(), {ctx.program_id(0), ctx.program_id(1), ctx.program_id(2)}});
        EXPECT_EQ(ctx.num_programs(0), 2);
        EXPECT_EQ(ctx.num_programs(1), 3);
        EXPECT_EQ(ctx.num_programs(2), 2);
      },
      Grid{2, 3, 2}, t);
  std::vector<std::array<std::int64_t, 3>> order;
  for (std::int64_t x = 0; x < 2; ++x)
    for (std::int64_t y = 0; y < 3; ++y)
      for (std::int64_t z = 0; z < 2; ++z) order.push_back({x, y, z});
  ASSERT_EQ(order[1], (std::array<std::int64_t, 3>{0, 0, 1}));  // z moves fastest
  ASSERT_EQ(ran.size(), 24u);
  for (std::size_t i = 0; i < 24; ++i) {
    EXPECT_EQ(ran[i].first, (PeCoord{0, 0, static_cast<int>(i / 12)}));
    EXPECT_EQ(ran[i].second, order[i % 12]);
  }
}

TEST(Launch, ProgramsSeeTheirLocalShardAndTheScalars) {
  Machine m;
  const Tensor t = m.runtime.host().zeros(
      {4, 6}, DType::i32, {{}, LevelPlacement::rows(), LevelPlacement::columns(3)}, "t");
  std::map<PeCoord, TensorArg> seen;
  m.runtime.host().launch(
      [&](ProgramContext& ctx) {
        seen[ctx.pe().coord()] = ctx.tensor(0);
        EXPECT_EQ(std::get<std::int64_t>(ctx.scalar(1).value), 42);
        EXPECT_EQ(ctx.scalar(2).dtype, DType::f64);
        EXPECT_EQ(ctx.scalar(3).dtype, DType::boolean);
      },
      Grid{1}, t, 42, 0.5, true);
  ASSERT_EQ(seen.size(), 6u);
  const TensorArg& a = seen.at({0, 1, 2});
  EXPECT_EQ(a.name, "t");
  EXPECT_EQ(a.dtype, DType::i32);
  EXPECT_EQ(a.shape, (Shape{2, 2}));
  EXPECT_EQ(a.strides, (Shape{2, 1}));
  EXPECT_EQ(a.global_offset, (Shape{2, 4}));
  EXPECT_EQ(a.global_shape, (Shape{4, 6}));
  EXPECT_EQ(a.va, t.shard_va(t.shards()[5]));
  EXPECT_EQ(a.numel(), 4);
}

TEST(Launch, GridFunctionSizesEachPesGridFromItsShard) {
  Machine m;
  // PE level rows of 10 over 4 PEs does not divide; 12 gives 3 per PE.
  const Tensor t = m.runtime.host().zeros({12}, DType::f32, {{}, {}, LevelPlacement::rows()});
  int programs = 0;
  m.runtime.host().launch(
      [&](ProgramContext&) { ++programs; },
      [](std::span<const KernelArg> args) { return Grid{std::get<TensorArg>(args[0]).numel()}; },
      t);
  EXPECT_EQ(programs, 12);
}

TEST(Launch, DemoKernelsComputeOnEveryShardAcrossSips) {
  Machine m;
  Session& s = m.runtime.host();
  register_demo_kernels(m.runtime.kernels());
  const Placement p{LevelPlacement::rows(), LevelPlacement::rows(), LevelPlacement::rows()};
  const Tensor x = s.zeros({64, 4}, DType::f32, p, "x");
  const Tensor y = s.full({64, 4}, 0.5, DType::f32, p, "y");
  const Tensor out = s.empty({64, 4}, DType::f32, p, "out");
  s.launch("fill_index", Grid{3}, x);
  const LaunchHandle h = s.launch_async("vector_add", Grid{2}, x, y, out);
  EXPECT_EQ(h.requests.size(), 2u);  // one KernelLaunch per SIP
  EXPECT_EQ(s.in_flight(), 2u);
  s.synchronize();
  std::vector<float> want(256);
  for (std::size_t i = 0; i < want.size(); ++i) want[i] = static_cast<float>(i) + 0.5f;
  EXPECT_EQ(out.to_host().values<float>(), want);
  // The launch took simulated time on the PEs (DMA and vector unit charges).
  const hw::Completion& c = m.system.completion(h.requests[0]);
  EXPECT_TRUE(c.done);
  EXPECT_EQ(c.targets, 8u);
  EXPECT_GT(m.system.pe({1, 1, 3}).vector_unit().busy_time(), base::SimTime::zero());
}

TEST(Launch, SubmitLaunchTakesArgumentsBuiltAtRunTime) {
  Machine m;
  Session& s = m.runtime.host();
  register_demo_kernels(m.runtime.kernels());
  const Tensor x = s.zeros({8}, DType::f32, {}, "x");
  std::vector<LaunchArg> args{to_launch_arg(x)};
  const LaunchHandle named = s.submit_launch("fill_index", {}, Grid{1}, args);
  s.wait(named);
  EXPECT_EQ(named.kernel, "fill_index");
  EXPECT_EQ(x.to_host().values<float>(), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7}));
  std::int64_t seen = 0;
  args.push_back(ScalarArg{DType::i32, std::int64_t{7}});
  const LaunchHandle direct = s.submit_launch(
      "mine", [&](ProgramContext& ctx) { seen = std::get<std::int64_t>(ctx.scalar(1).value); },
      Grid{1}, args);
  s.wait(direct);
  EXPECT_EQ(seen, 7);
  EXPECT_EQ(m.runtime.records().back().name, "mine");
  EXPECT_THROW(s.submit_launch("no_such_kernel", {}, Grid{1}, args), base::NotFoundError);
}

TEST(Launch, FillIndexWorksForEveryNumericDtype) {
  Machine m;
  register_demo_kernels(m.runtime.kernels());
  for (const DType dtype : {DType::f16, DType::bf16, DType::f64, DType::i8, DType::u32}) {
    const Tensor t = m.runtime.host().empty({2, 6}, dtype, {{}, LevelPlacement::columns(), {}});
    m.runtime.host().launch("fill_index", Grid{1}, t);
    std::vector<float> want(12);
    for (std::size_t i = 0; i < 12; ++i) want[i] = static_cast<float>(i);
    const HostTensor h = t.to_host();
    if (base::is_floating(dtype)) {
      EXPECT_EQ(h.to_floats(), want);
    } else {
      HostTensor expect = HostTensor::zeros(dtype, {2, 6});
      for (std::size_t i = 0; i < 12; ++i)
        std::memcpy(expect.bytes().data() + i * base::size_bytes(dtype),
                    encode_element(static_cast<double>(i), dtype).data(), base::size_bytes(dtype));
      EXPECT_EQ(h, expect);
    }
  }
}

TEST(Launch, ATensorOnOnePeIsSeenByEveryTargetOfItsSip) {
  Machine m;
  Session& s = m.runtime.host();
  const Tensor data = s.zeros({8}, DType::f32, {{}, {}, LevelPlacement::rows()});
  const Tensor scale = s.full({1}, 3.0, DType::f32, {}, "scale");  // one copy on (0, 0, 0)
  std::set<PeCoord> ran;
  s.launch(
      [&](ProgramContext& ctx) {
        ran.insert(ctx.pe().coord());
        EXPECT_EQ(ctx.tensor(1).va, scale.shard_va(scale.shards()[0]));
      },
      Grid{1}, data, scale);
  EXPECT_EQ(ran.size(), 4u);
}

TEST(LaunchErrors, ArgumentsAPeHasNoUniqueViewOfAreRejected) {
  Machine m;
  Session& s = m.runtime.host();
  const Tensor a = s.zeros({8}, DType::f32, {{}, {}, LevelPlacement::rows()}, "a");
  const Tensor b = s.zeros({8}, DType::f32, {{}, LevelPlacement::rows(), {}}, "b");
  try {
    s.launch([](ProgramContext&) {}, Grid{1}, a, b);
    FAIL() << "no ShapeError";
  } catch (const base::ShapeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "kernel 'kernel': argument 1 (tensor 'b') has no shard on PE (sip 0, cube 0, pe 1), "
              "which runs the kernel for another argument, and 2 parts in its SIP to choose from; "
              "place the arguments alike");
  }
  EXPECT_EQ(s.in_flight(), 0u);  // nothing was submitted
}

TEST(LaunchErrors, UnknownKernelListsTheRegisteredOnes) {
  Machine m;
  register_demo_kernels(m.runtime.kernels());
  const Tensor t = m.runtime.host().zeros({8});
  try {
    m.runtime.host().launch("fill_indx", Grid{1}, t);
    FAIL() << "no NotFoundError";
  } catch (const base::NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown kernel 'fill_indx' (did you mean 'fill_index'?); known: fill_index, "
              "vector_add");
  }
}

TEST(LaunchErrors, NegativeGridAndMissingTensor) {
  Machine m;
  const Tensor t = m.runtime.host().zeros({8});
  EXPECT_THROW(m.runtime.host().launch([](ProgramContext&) {}, Grid{-1}, t), base::ShapeError);
  EXPECT_THROW(m.runtime.host().launch([](ProgramContext&) {}, Grid{1}, 3), base::ShapeError);
}

}  // namespace
}  // namespace kernbench::rt
