// Conformance: casts (TRITON.md §2.5) — rounding, truncation, saturation, widening, bool.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;
using I = std::vector<std::int64_t>;
using D = std::vector<double>;

double f16(float v) { return base::f16_bits_to_f32(base::f32_to_f16_bits(v)); }

TEST(ConformanceCasts, Sec2_5_F32ToF16RoundsToNearestEven) {
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even (1.0).
  const Tile r =
      make(DType::f32, {1.0 + std::ldexp(1.0, -11), 1.0 + 3 * std::ldexp(1.0, -11)}).to(DType::f16);
  EXPECT_EQ(r.values(), (D{1.0, 1.0 + std::ldexp(1.0, -9)}));
}
TEST(ConformanceCasts, Sec2_5_F32ToF16OverflowIsInfinity) {
  EXPECT_TRUE(std::isinf(make(DType::f32, {70000}).to(DType::f16).value(0)));
}
TEST(ConformanceCasts, Sec2_5_F32ToBf16RoundsToNearestEvenNotTruncates) {
  // 1 + 3 * 2^-9 lies above the midpoint of [1, 1 + 2^-7]: it rounds up; truncation gives 1.
  const Tile r = make(DType::f32, {1.0 + 3 * std::ldexp(1.0, -9)}).to(DType::bf16);
  EXPECT_EQ(r.value(0), 1.0 + std::ldexp(1.0, -7));
}
TEST(ConformanceCasts, Sec2_5_F64ToF16RoundsOnce) {
  // Just above the f16 midpoint 1 + 2^-11 by 2^-40: rounding to f32 first would land exactly on
  // the midpoint and then round down to even; one rounding gives 1 + 2^-10.
  const double v = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_EQ(make(DType::f64, {v}).to(DType::f16).value(0), 1.0 + std::ldexp(1.0, -10));
}
TEST(ConformanceCasts, Sec2_5_RoundTowardZeroOnlyForFloatNarrowing) {
  const Tile x = make(DType::f32, {1.0 + 3 * std::ldexp(1.0, -11), -70000});
  const Tile r = x.to(DType::f16, Rounding::rtz);
  EXPECT_EQ(r.value(0), 1.0 + std::ldexp(1.0, -10));
  EXPECT_EQ(r.value(1), -65504.0);  // largest finite, not -inf
  EXPECT_THROW(x.to(DType::i32, Rounding::rtz), SemanticError);
}
TEST(ConformanceCasts, Sec2_5_FloatToIntTruncatesTowardZero) {
  EXPECT_EQ(make(DType::f32, {-2.7, 2.7}).to(DType::i32).int_values(), (I{-2, 2}));
}
TEST(ConformanceCasts, Sec2_5_FloatToIntSaturatesAndNanIsZero) {
  // LLVM leaves these undefined; KernBench saturates (docs/kernel-language.md).
  EXPECT_EQ(make(DType::f32, {1e10, -1e10, NAN}).to(DType::i32).int_values(),
            (I{2147483647, -2147483648LL, 0}));
  EXPECT_EQ(make(DType::f32, {-1}).to(DType::u8).int_value(0), 0);
}
TEST(ConformanceCasts, Sec2_5_ToBoolIsNotEqualZero) {
  EXPECT_EQ(make(DType::f32, {0.0, -0.0, 0.5, NAN}).to(DType::boolean).int_values(),
            (I{0, 0, 1, 1}));
  EXPECT_EQ(imake(DType::i32, {0, 256}).to(DType::boolean).int_values(), (I{0, 1}));
}
TEST(ConformanceCasts, Sec2_5_IntWideningSignExtendsSigned) {
  EXPECT_EQ(imake(DType::i8, {-1}).to(DType::i32).int_value(0), -1);
  EXPECT_EQ(imake(DType::u8, {255}).to(DType::i32).int_value(0), 255);
  EXPECT_EQ(imake(DType::i8, {-1}).to(DType::u32).int_value(0), 4294967295LL);
}
TEST(ConformanceCasts, Sec2_5_IntNarrowingWraps) {
  EXPECT_EQ(imake(DType::i32, {300, -129}).to(DType::i8).int_values(), (I{44, 127}));
}
TEST(ConformanceCasts, Sec2_5_I64ToF32RoundsOnce) {
  // 2^60 + 2^36 + 1 is just above the f32 midpoint between 2^60 and 2^60 + 2^37.
  const std::int64_t v = (std::int64_t{1} << 60) + (std::int64_t{1} << 36) + 1;
  EXPECT_EQ(imake(DType::i64, {v}).to(DType::f32).value(0),
            std::ldexp(1.0, 60) + std::ldexp(1.0, 37));
}
TEST(ConformanceCasts, Sec2_5_F16ToBf16GoesThroughF32) {
  EXPECT_EQ(make(DType::f16, {f16(0.1f)}).to(DType::bf16).value(0),
            base::bf16_bits_to_f32(base::f32_to_bf16_bits(static_cast<float>(f16(0.1f)))));
}
TEST(ConformanceCasts, Sec2_5_BitcastKeepsBitsAndNeedsEqualWidth) {
  EXPECT_EQ(make(DType::f32, {1.0}).bitcast(DType::i32).int_value(0), 0x3f800000);
  EXPECT_THROW(make(DType::f32, {1.0}).bitcast(DType::i16), SemanticError);
}

}  // namespace
}  // namespace kernbench::tl
