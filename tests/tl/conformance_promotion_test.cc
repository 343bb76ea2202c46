// Conformance: TRITON.md §4.2 (typing a weak literal) and §4.3 (computation type, rules 0-6).
// Each test names the rule it checks; values are checked as well as dtypes.
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;

WeakScalar wint(std::int64_t v) { return {TypeKind::integer, v, 0.0}; }
WeakScalar wfloat(double v) { return {TypeKind::floating, 0, v}; }

// ---- §4.2: a weak literal materialised alone ----
TEST(ConformancePromotion, Sec4_2_IntLiteralTypesByRange) {
  EXPECT_EQ(materialized_type(wint(5)), DType::i32);
  EXPECT_EQ(materialized_type(wint(-2147483648LL)), DType::i32);
  EXPECT_EQ(materialized_type(wint(2147483648LL)), DType::u32);
  EXPECT_EQ(materialized_type(wint(4294967296LL)), DType::i64);
  EXPECT_EQ(materialized_type(wint(-2147483649LL)), DType::i64);
}
TEST(ConformancePromotion, Sec4_2_FloatLiteralIsF32UnlessOutOfF32NormalRange) {
  EXPECT_EQ(materialized_type(wfloat(1.5)), DType::f32);
  EXPECT_EQ(materialized_type(wfloat(0.0)), DType::f32);
  EXPECT_EQ(materialized_type(wfloat(INFINITY)), DType::f32);
  EXPECT_EQ(materialized_type(wfloat(NAN)), DType::f32);
  EXPECT_EQ(materialized_type(wfloat(1e-40)), DType::f64);  // f32 denormal range
  EXPECT_EQ(materialized_type(wfloat(1e300)), DType::f64);
}
TEST(ConformancePromotion, Sec4_2_BoolLiteralIsBool) {
  EXPECT_EQ(materialized_type({TypeKind::boolean, 1, 0.0}), DType::boolean);
  EXPECT_EQ(where(true, true, false).dtype(), DType::boolean);
}
TEST(ConformancePromotion, Sec4_2_TwoLiteralsMaterialiseThenPromote) {
  const Tile c = imake(DType::boolean, {1, 0});
  const Tile r = where(c, 0, -1.0e6);  // i32 and f32 -> f32
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.values(), (std::vector<double>{0.0, -1.0e6}));
}

// ---- §4.3 rule 0: the weak-scalar rule ----
TEST(ConformancePromotion, Sec4_3_Rule0_IntLiteralTakesFloatTileType) {
  const Tile r = make(DType::f16, {1.5, 2.0}) + 1;
  EXPECT_EQ(r.dtype(), DType::f16);
  EXPECT_EQ(r.values(), (std::vector<double>{2.5, 3.0}));
}
TEST(ConformancePromotion, Sec4_3_Rule0_FloatLiteralTakesF16TileType) {
  const Tile r = make(DType::f16, {1.0}) * 0.1;  // stays f16: 0.1 rounds in the f16 result
  EXPECT_EQ(r.dtype(), DType::f16);
  EXPECT_EQ(r.value(0), static_cast<double>(base::f16_bits_to_f32(base::f32_to_f16_bits(0.1f))));
}
TEST(ConformancePromotion, Sec4_3_Rule0_IntLiteralTakesI8TileType) {
  const Tile r = imake(DType::i8, {100, -100}) + 27;
  EXPECT_EQ(r.dtype(), DType::i8);
  EXPECT_EQ(r.int_values(), (std::vector<std::int64_t>{127, -73}));
}
TEST(ConformancePromotion, Sec4_3_Rule0_LiteralOutOfIntegerRangeIsError) {
  const Tile x = imake(DType::i8, {1});
  EXPECT_THROW(x + 300, SemanticError);
  try {
    (void)(x + 300);
  } catch (const SemanticError& e) {
    EXPECT_NE(std::string(e.what()).find("add: the literal 300 is out of the range of i8"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("i8[1]"), std::string::npos) << e.what();
  }
}
TEST(ConformancePromotion, Sec4_3_Rule0_NegativeLiteralWithUnsignedIsError) {
  EXPECT_THROW(imake(DType::u8, {1}) + (-1), SemanticError);
  EXPECT_THROW(imake(DType::u32, {1}) < -1, SemanticError);
}
TEST(ConformancePromotion, Sec4_3_Rule0_LargeLiteralWithI32IsError) {
  EXPECT_THROW(imake(DType::i32, {1}) + (std::int64_t{1} << 40), SemanticError);
}
TEST(ConformancePromotion, Sec4_3_Rule0_HigherKindLiteralIsMaterialised) {
  const Tile r = imake(DType::i32, {3}) + 1.5;  // float literal, int tile -> f32
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.value(0), 4.5);
  const Tile b = imake(DType::boolean, {1, 0}) + 1;  // int literal, bool tile -> i32
  EXPECT_EQ(b.dtype(), DType::i32);
  EXPECT_EQ(b.int_values(), (std::vector<std::int64_t>{2, 1}));
}
TEST(ConformancePromotion, Sec4_3_Rule0_DivOfF16OrBf16ByLiteralIsF32) {
  EXPECT_EQ((make(DType::f16, {1.0}) / 2).dtype(), DType::f32);
  EXPECT_EQ((make(DType::bf16, {3.0}) % 2).dtype(), DType::f32);
  EXPECT_EQ((make(DType::bf16, {3.0}) % 2).value(0), 1.0);
}
TEST(ConformancePromotion, Sec4_3_Rule0_UnsignedTileKeepsItsTypeWithLiteral) {
  const Tile r = imake(DType::u32, {4000000000LL}) + 3;
  EXPECT_EQ(r.dtype(), DType::u32);
  EXPECT_EQ(r.int_value(0), 4000000003LL);
}

// ---- §4.3 rules 1-5 ----
TEST(ConformancePromotion, Sec4_3_Rule1_F64Wins) {
  EXPECT_EQ((make(DType::f64, {1}) + make(DType::f32, {1})).dtype(), DType::f64);
  EXPECT_EQ((imake(DType::i64, {1}) * make(DType::f64, {1})).dtype(), DType::f64);
}
TEST(ConformancePromotion, Sec4_3_Rule2_F32Wins) {
  EXPECT_EQ((make(DType::f32, {1}) + make(DType::f16, {1})).dtype(), DType::f32);
  EXPECT_EQ((make(DType::bf16, {1}) + make(DType::f32, {1})).dtype(), DType::f32);
  EXPECT_EQ((imake(DType::i64, {1}) + make(DType::f32, {1})).dtype(), DType::f32);
}
TEST(ConformancePromotion, Sec4_3_Rule3_F16BeforeBf16) {
  const Tile r = make(DType::f16, {1.0}) + make(DType::bf16, {2.0});
  EXPECT_EQ(r.dtype(), DType::f16);  // bf16 (+) f16 -> f16
  EXPECT_EQ(r.value(0), 3.0);
  EXPECT_EQ((make(DType::f16, {1}) + imake(DType::i32, {1})).dtype(), DType::f16);
}
TEST(ConformancePromotion, Sec4_3_Rule3_F16DivOrModIsF32) {
  EXPECT_EQ((make(DType::f16, {1}) / make(DType::f16, {3})).dtype(), DType::f32);
  EXPECT_EQ((make(DType::f16, {5}) % make(DType::f16, {3})).dtype(), DType::f32);
}
TEST(ConformancePromotion, Sec4_3_Rule4_Bf16PairStaysBf16) {
  EXPECT_EQ((make(DType::bf16, {1}) * make(DType::bf16, {2})).dtype(), DType::bf16);
  EXPECT_EQ((make(DType::bf16, {1}) / make(DType::bf16, {2})).dtype(), DType::f32);
}
TEST(ConformancePromotion, Sec4_3_Rule4_Bf16WithIntIsF32) {
  const Tile r = make(DType::bf16, {1.5}) + imake(DType::i32, {2});
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.value(0), 3.5);
}
TEST(ConformancePromotion, Sec4_3_Rule5_Fp8IsNotADType) {
  // Rule 5 (fp8 pairs) cannot arise: KernBench has no fp8 dtype (docs/kernel-language.md).
  EXPECT_FALSE(base::parse_dtype("fp8e5").has_value());
}

// ---- §4.3 rule 6: integer promotion ----
TEST(ConformancePromotion, Sec4_3_Rule6_SameSignednessTakesTheWider) {
  EXPECT_EQ((imake(DType::i8, {1}) + imake(DType::i16, {1})).dtype(), DType::i16);
  EXPECT_EQ((imake(DType::u8, {1}) + imake(DType::u16, {1})).dtype(), DType::u16);
}
TEST(ConformancePromotion, Sec4_3_Rule6_MixedTakesUnsignedIfAtLeastAsWide) {
  EXPECT_EQ(integer_promote(DType::i8, DType::u8), DType::u8);
  EXPECT_EQ(integer_promote(DType::i32, DType::u32), DType::u32);
  EXPECT_EQ(integer_promote(DType::i64, DType::u32), DType::i64);
  EXPECT_EQ(integer_promote(DType::i16, DType::u8), DType::i16);
  const Tile r = imake(DType::i32, {-1}) + imake(DType::u32, {0});
  EXPECT_EQ(r.dtype(), DType::u32);
  EXPECT_EQ(r.int_value(0), 4294967295LL);  // -1 reinterpreted in u32
}
TEST(ConformancePromotion, Sec4_3_Rule6_BoolPromotesToTheInteger) {
  EXPECT_EQ((imake(DType::boolean, {1}) + imake(DType::i32, {1})).dtype(), DType::i32);
  EXPECT_EQ(integer_promote(DType::boolean, DType::u8), DType::u8);
}
TEST(ConformancePromotion, Sec4_3_Rule6_DivModOfMixedSignednessIsError) {
  EXPECT_THROW(imake(DType::i32, {7}) / imake(DType::u32, {2}), SemanticError);
  EXPECT_THROW(imake(DType::i32, {7}) % imake(DType::u32, {2}), SemanticError);
  EXPECT_EQ((imake(DType::i32, {7}) + imake(DType::u32, {2})).dtype(), DType::u32);  // not div
}

}  // namespace
}  // namespace kernbench::tl
