// Conformance: TRITON.md §4.4 (operator-specific rules), §4.5 (broadcasting), §4.6 (pointers).
#include <cmath>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;
using I = std::vector<std::int64_t>;
using D = std::vector<double>;

// ---- §4.4 `/` ----
TEST(ConformanceOperators, Sec4_4_TruedivIntByIntIsF32) {
  const Tile r = truediv(imake(DType::i32, {7, -7}), imake(DType::i32, {2, 2}));
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.values(), (D{3.5, -3.5}));
}
TEST(ConformanceOperators, Sec4_4_TruedivFloatByIntTakesTheFloat) {
  EXPECT_EQ((make(DType::f64, {1}) / imake(DType::i32, {3})).dtype(), DType::f64);
  EXPECT_EQ((make(DType::f32, {1}) / imake(DType::i64, {4})).value(0), 0.25);
}
TEST(ConformanceOperators, Sec4_4_TruedivF16ByF16IsF32) {
  const Tile r = make(DType::f16, {1}) / make(DType::f16, {3});
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.value(0), static_cast<double>(1.0f / 3.0f));
}
TEST(ConformanceOperators, Sec4_4_CppSlashOnIntsIsTruncatingFloordiv) {
  // TRITON.md §7.1.4: C++ `/` on two integers is Triton's `//`, truncating toward zero.
  const Tile r = imake(DType::i32, {-7, 7, -7}) / imake(DType::i32, {2, -2, -2});
  EXPECT_EQ(r.dtype(), DType::i32);
  EXPECT_EQ(r.int_values(), (I{-3, -3, 3}));
}

// ---- §4.4 `//` ----
TEST(ConformanceOperators, Sec4_4_FloordivTruncatesTowardZero) {
  EXPECT_EQ(floordiv(imake(DType::i32, {-7}), 2).int_value(0), -3);  // Python would give -4
  EXPECT_EQ(floordiv(imake(DType::u8, {255}), 2).int_value(0), 127);
}
TEST(ConformanceOperators, Sec4_4_FloordivOfFloatsIsError) {
  EXPECT_THROW(floordiv(make(DType::f32, {1}), 2), SemanticError);
  EXPECT_THROW(floordiv(imake(DType::i32, {1}), 2.0), SemanticError);
}

// ---- §4.4 `%` ----
TEST(ConformanceOperators, Sec4_4_IntModHasTheSignOfTheDividend) {
  const Tile r = imake(DType::i32, {-7, 7, -7}) % imake(DType::i32, {2, -2, -2});
  EXPECT_EQ(r.int_values(), (I{-1, 1, -1}));
  EXPECT_EQ((imake(DType::u32, {4000000001LL}) % 2).int_value(0), 1);  // urem
}
TEST(ConformanceOperators, Sec4_4_FloatModIsFmod) {
  const Tile r = make(DType::f32, {-7.5, 7.5}) % 2;
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.values(), (D{-1.5, 1.5}));
}

// ---- §4.4 & | ^ << >> ----
TEST(ConformanceOperators, Sec4_4_BitwiseOnFloatsIsError) {
  EXPECT_THROW(make(DType::f32, {1}) & imake(DType::i32, {1}), SemanticError);
  EXPECT_THROW(imake(DType::i32, {1}) | 1.0, SemanticError);
}
TEST(ConformanceOperators, Sec4_4_BitwiseUsesIntegerPromotion) {
  const Tile r = imake(DType::i8, {-1}) & imake(DType::u8, {0x0f});
  EXPECT_EQ(r.dtype(), DType::u8);
  EXPECT_EQ(r.int_value(0), 0x0f);
  const Tile m = (arange(0, 4) < 2) & (arange(0, 4) > 0);  // masks stay bool
  EXPECT_EQ(m.dtype(), DType::boolean);
  EXPECT_EQ(m.int_values(), (I{0, 1, 0, 0}));
}
TEST(ConformanceOperators, Sec4_4_ShiftRightIsArithmeticForSignedLogicalForUnsigned) {
  EXPECT_EQ((imake(DType::i32, {-8}) >> 1).int_value(0), -4);
  EXPECT_EQ((imake(DType::u8, {0x80}) >> 1).int_value(0), 0x40);
  EXPECT_EQ((imake(DType::i8, {0x40}) << 1).int_value(0), -128);  // wraps
}

// ---- §4.4 comparisons ----
TEST(ConformanceOperators, Sec4_4_ComparisonGivesBoolOfTheBroadcastShape) {
  const Tile r = arange(0, 4).col() < arange(0, 2).row();
  EXPECT_EQ(r.dtype(), DType::boolean);
  EXPECT_EQ(r.shape(), (Shape{4, 2}));
  EXPECT_EQ(r.int_values(), (I{0, 1, 0, 0, 0, 0, 0, 0}));
}
TEST(ConformanceOperators, Sec4_4_ComparisonPromotesFirst) {
  // f16 vs f32 compares in f32: 0.1 as f16 differs from 0.1 as f32.
  const Tile r = make(DType::f16, {0.1}) == make(DType::f32, {0.1});
  EXPECT_EQ(r.int_value(0), 0);
  EXPECT_EQ((imake(DType::i32, {-1}) < imake(DType::u32, {1})).int_value(0), 0);  // in u32
}
TEST(ConformanceOperators, Sec4_4_FloatComparisonsAreOrderedExceptNe) {
  const Tile n = make(DType::f32, {NAN});
  EXPECT_EQ((n < 1.0).int_value(0), 0);
  EXPECT_EQ((n >= 1.0).int_value(0), 0);
  EXPECT_EQ((n == n).int_value(0), 0);
  EXPECT_EQ((n != n).int_value(0), 1);
}

// ---- §4.4 minimum / maximum / clamp ----
TEST(ConformanceOperators, Sec4_4_MinimumOfBf16IsF32) {
  const Tile r = minimum(make(DType::bf16, {1, 5}), make(DType::bf16, {2, 3}));
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.values(), (D{1, 3}));
  EXPECT_EQ(maximum(make(DType::f16, {1}), make(DType::f16, {2})).dtype(), DType::f16);
}
TEST(ConformanceOperators, Sec4_4_ClampIsFloatOnly) {
  EXPECT_EQ(clamp(make(DType::f32, {-2, 0.5, 9}), 0.0, 1.0).values(), (D{0, 0.5, 1}));
  EXPECT_THROW(clamp(imake(DType::i32, {1}), 0, 1), SemanticError);
}

// ---- §4.4 where ----
TEST(ConformanceOperators, Sec4_4_WhereCastsANonBoolCondition) {
  const Tile r = where(imake(DType::i32, {0, 7}), 1.0, 2.0);
  EXPECT_EQ(r.values(), (D{2, 1}));
}
TEST(ConformanceOperators, Sec4_4_WherePromotesXAndY) {
  const Tile r =
      where(imake(DType::boolean, {1, 0}), imake(DType::i32, {1, 1}), make(DType::f16, {0.5, 0.5}));
  EXPECT_EQ(r.dtype(), DType::f16);
  EXPECT_EQ(r.values(), (D{1, 0.5}));
}
TEST(ConformanceOperators, Sec4_4_WhereBroadcastsAllThree) {
  const Tile r = where(arange(0, 2).col() == 0, arange(0, 4).row(), -1);
  EXPECT_EQ(r.shape(), (Shape{2, 4}));
  EXPECT_EQ(r.int_values(), (I{0, 1, 2, 3, -1, -1, -1, -1}));
}
TEST(ConformanceOperators, Sec4_4_WhereEvaluatesBothSides) {
  // Both sides are computed (the int division by zero happens, defined: no trap), one is picked.
  const Tile d = imake(DType::i32, {0, 2});
  const Tile r = where(d != 0, imake(DType::i32, {8, 8}) / d, 0);
  EXPECT_EQ(r.int_values(), (I{0, 4}));
}
TEST(ConformanceOperators, Sec4_4_FmaPromotesPairwise) {
  const Tile r = fma(make(DType::f16, {2}), make(DType::f16, {3}), make(DType::f32, {0.5}));
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.value(0), 6.5);
}
TEST(ConformanceOperators, Sec4_4_MathFunctionsDoNotPromote) {
  EXPECT_THROW(exp(make(DType::f16, {1})), SemanticError);
  EXPECT_THROW(sqrt(imake(DType::i32, {4})), SemanticError);
  EXPECT_EQ(sqrt(make(DType::f64, {2})).value(0), std::sqrt(2.0));
}

// ---- §4.5 broadcasting ----
TEST(ConformanceOperators, Sec4_5_ScalarSplats) {
  const Tile r = arange(0, 4) * testing::scalar(DType::i32, 3);
  EXPECT_EQ(r.shape(), (Shape{4}));
  EXPECT_EQ(r.int_values(), (I{0, 3, 6, 9}));
}
TEST(ConformanceOperators, Sec4_5_LowerRankIsLeftPadded) {
  const Tile r = arange(0, 4) + zeros({2, 4}, DType::i32);
  EXPECT_EQ(r.shape(), (Shape{2, 4}));
  EXPECT_EQ(r.int_values(), (I{0, 1, 2, 3, 0, 1, 2, 3}));
}
TEST(ConformanceOperators, Sec4_5_IncompatibleDimensionsNameTheIndex) {
  try {
    (void)(arange(0, 4) + arange(0, 8));
    FAIL();
  } catch (const base::ShapeError& e) {
    EXPECT_STREQ(e.what(), "add: incompatible dimensions at index 0: [4] and [8]");
  }
}
TEST(ConformanceOperators, Sec4_5_BroadcastToNeedsTheSameRank) {
  EXPECT_THROW(broadcast_to(arange(0, 4), Shape{2, 4}), base::ShapeError);
  EXPECT_EQ(broadcast_to(arange(0, 4).row(), Shape{2, 4}).int_values(),
            (I{0, 1, 2, 3, 0, 1, 2, 3}));
  EXPECT_EQ(broadcast_to(testing::scalar(DType::f32, 2), Shape{2}).values(), (D{2, 2}));
}
TEST(ConformanceOperators, Sec4_5_IndexingInsertsSizeOneDims) {
  const Tile x = arange(0, 8);
  EXPECT_EQ(x(_, newaxis).shape(), (Shape{8, 1}));
  EXPECT_EQ(x(newaxis, _).shape(), (Shape{1, 8}));
  EXPECT_EQ(x.col().shape(), (Shape{8, 1}));
  EXPECT_EQ(x.row().shape(), (Shape{1, 8}));
  EXPECT_THROW(x(_, _), base::ShapeError);
}

// ---- §4.6 pointers ----
TEST(ConformanceOperators, Sec4_6_PointerArithmeticIsRejectedWithFloatsAndPointers) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        const Tile base = p.pointer(0);
        EXPECT_THROW(base + 1.5, SemanticError);
        EXPECT_THROW(base + base, SemanticError);
        EXPECT_THROW(1 - base, SemanticError);
        EXPECT_EQ((base - 1 + 1 == base).int_value(0), 1);
      },
      {t});
}
TEST(ConformanceOperators, Sec4_6_OffsetsScaleByElementSizeAndUnsignedZeroExtends) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f16, {1, 2, 3, 4});
  rig.run(
      [&](Program& p) {
        const Tile base = p.pointer(0);
        const Tile q = base + arange(0, 4);
        EXPECT_TRUE(q.is_pointer());
        EXPECT_EQ(q.shape(), (Shape{4}));
        EXPECT_EQ(q.address(3), t.va.value() + 6);  // 3 x 2 bytes
        const Tile far = base + imake(DType::u32, {0xFFFFFFFFLL});
        EXPECT_EQ(far.address(0), t.va.value() + 2 * 0xFFFFFFFFULL);  // zero-extended
      },
      {t});
}

}  // namespace
}  // namespace kernbench::tl
