// Conformance: each divergence of TRITON.md §5 between compiled Triton and its interpreter, with
// the choice KernBench made (docs/kernel-language.md, "Divergences").
#include <cmath>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;
using I = std::vector<std::int64_t>;
using D = std::vector<double>;

TEST(ConformanceDivergences, Sec5_MaskedLoadWithoutOtherReadsZeros) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 4);
        const Tile x = load(p.pointer(0) + offs, offs < 2);
        EXPECT_EQ(x.values(), (D{1, 2, 0, 0}));
      },
      {t});
}
TEST(ConformanceDivergences, Sec5_FloatKernelArgumentIsTypedF32) {
  testing::Rig rig;
  rig.run(
      [](Program& p) {
        const Tile scale = p.scalar(0);
        EXPECT_EQ(scale.dtype(), DType::f32);
        EXPECT_EQ((make(DType::f16, {1}) * scale).dtype(), DType::f32);  // not weak: f16 * f32
      },
      {rt::ScalarArg{DType::f64, 0.5}});
}
TEST(ConformanceDivergences, Sec5_IntKernelArgumentEqualToOneIsTyped) {
  testing::Rig rig;
  rig.run(
      [](Program& p) {
        const Tile one = p.scalar(0);
        EXPECT_EQ(one.dtype(), DType::i32);
        EXPECT_EQ((imake(DType::i8, {1}) * one).dtype(), DType::i32);  // weak would keep i8
        EXPECT_EQ(p.scalar(1).dtype(), DType::i64);                    // beyond i32
      },
      {rt::ScalarArg{DType::i64, std::int64_t{1}},
       rt::ScalarArg{DType::i64, std::int64_t{1} << 40}});
}
TEST(ConformanceDivergences, Sec5_NanIsIgnoredByMaximumMinimumAndMax) {
  const Tile x = make(DType::f32, {NAN, 1});
  EXPECT_EQ(maximum(x, 0.5).values(), (D{0.5, 1}));
  EXPECT_EQ(minimum(x, 0.5).values(), (D{0.5, 0.5}));
  EXPECT_EQ(max(x, 0).value(0), 1.0);
  EXPECT_EQ(argmax(x, 0).int_value(0), 1);
  EXPECT_TRUE(std::isnan(maximum(x, 0.5, PropagateNan::all).value(0)));
  EXPECT_TRUE(std::isnan(max(make(DType::f32, {NAN, NAN}), 0).value(0)));
}
TEST(ConformanceDivergences, Sec5_F32DotIsIeeeByDefaultTf32OnRequest) {
  const double v = 1.0 + std::ldexp(1.0, -20);  // lost in tf32's 10 mantissa bits
  const Tile a = Tile::from_doubles(Shape{1, 1}, DType::f32, D{v});
  const Tile one = Tile::from_doubles(Shape{1, 1}, DType::f32, D{1.0});
  EXPECT_EQ(dot(a, one).value(0), v);
  EXPECT_EQ(dot(a, one, {}, InputPrecision::tf32).value(0), 1.0);
}
TEST(ConformanceDivergences, Sec5_Bf16DotAndCastsAreCorrectlyRounded) {
  const Tile a = make(DType::f32, {1.0 + 3 * std::ldexp(1.0, -9)}).to(DType::bf16);
  EXPECT_EQ(a.value(0), 1.0 + std::ldexp(1.0, -7));  // the interpreter truncates to 1.0
  const Tile m = Tile::from_doubles(Shape{1, 1}, DType::bf16, D{1.5});
  EXPECT_EQ(dot(m, m).value(0), 2.25);  // operands are values, not raw bits
}
TEST(ConformanceDivergences, Sec5_MathIsExactNotApproximate) {
  const Tile x = make(DType::f32, {0.5, 10, -3});
  const auto e = exp(x).values();
  for (std::size_t i = 0; i < e.size(); ++i)
    EXPECT_EQ(e[i], static_cast<double>(
                        static_cast<float>(std::exp(x.value(static_cast<std::int64_t>(i))))));
  EXPECT_EQ(log2(make(DType::f32, {8})).value(0), 3.0);
  EXPECT_EQ(exp2(make(DType::f32, {-2})).value(0), 0.25);
  EXPECT_EQ(rsqrt(make(DType::f32, {4})).value(0), 0.5);
  EXPECT_EQ(sigmoid(make(DType::f32, {0})).value(0), 0.5);
  EXPECT_EQ(log(make(DType::f64, {1})).value(0), 0.0);
}
TEST(ConformanceDivergences, Sec5_IfOnABlockIsAnError) {
  const Tile block = arange(0, 4) < 2;
  EXPECT_THROW((void)static_cast<bool>(block), base::ShapeError);
  EXPECT_TRUE(static_cast<bool>(testing::scalar(DType::i32, 3) > 2));
}
TEST(ConformanceDivergences, Sec5_AssumeIsChecked) {
  EXPECT_NO_THROW(assume(arange(0, 4) >= 0));
  EXPECT_THROW(assume(arange(0, 4) > 0, "offsets positive"), SemanticError);
}
TEST(ConformanceDivergences, Sec5_ProgramsOfAPeRunInXYZOrder) {
  // The grid order is the runtime's (rt launch); the rig mirrors it: x outermost.
  testing::Rig rig;
  std::vector<std::int64_t> order;
  rig.run(
      [&](Program& p) { order.push_back(p.program_id(0).item() * 10 + p.program_id(1).item()); },
      {}, rt::Grid{2, 2, 1});
  EXPECT_EQ(order, (I{0, 1, 10, 11}));
}
TEST(ConformanceDivergences, Sec5_SumKeepsTheFloatDtype) {
  EXPECT_EQ(sum(make(DType::bf16, {1, 2}), 0).dtype(), DType::bf16);
  EXPECT_EQ(sum(make(DType::f16, {1, 2}), 0).dtype(), DType::f16);
  EXPECT_EQ(sum(make(DType::f32, {1, 2}), 0).dtype(), DType::f32);
}
TEST(ConformanceDivergences, Sec5_F16MathFunctionsAreErrors) {
  for (auto f : {&exp, &exp2, &log, &log2, &sqrt, &rsqrt, &sigmoid}) {
    try {
      (void)f(make(DType::f16, {1}));
      FAIL();
    } catch (const SemanticError& e) {
      EXPECT_NE(std::string(e.what()).find("expected dtype f32 or f64, got f16[1]"),
                std::string::npos);
    }
  }
  EXPECT_THROW(exp(make(DType::bf16, {1})), SemanticError);
}

}  // namespace
}  // namespace kernbench::tl
