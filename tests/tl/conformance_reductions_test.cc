// Conformance: reductions and scans (TRITON.md §2.6, §4.4 "reductions", §4.5 reduction shapes)
// and dot (§2.7, §4.4 "dot: no promotion").
#include <cmath>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;
using I = std::vector<std::int64_t>;
using D = std::vector<double>;

Tile grid2x4() { return reshape(arange(0, 8), Shape{2, 4}); }  // [[0 1 2 3] [4 5 6 7]]

TEST(ConformanceReductions, Sec4_5_ReductionShapesAndKeepDims) {
  EXPECT_EQ(sum(grid2x4(), 1).shape(), (Shape{2}));
  EXPECT_EQ(sum(grid2x4(), 1, keep_dims).shape(), (Shape{2, 1}));
  EXPECT_EQ(sum(grid2x4()).shape(), Shape{});
  EXPECT_EQ(sum(grid2x4(), {}, keep_dims).shape(), (Shape{1, 1}));
  EXPECT_EQ(sum(grid2x4(), -1).int_values(), (I{6, 22}));  // negative axes wrap
  EXPECT_EQ(sum(grid2x4(), 0).int_values(), (I{4, 6, 8, 10}));
  EXPECT_EQ(sum(grid2x4()).int_value(0), 28);
}
TEST(ConformanceReductions, Sec2_6_SumOfNarrowIntsIsI32OrU32) {
  const Tile s = sum(imake(DType::i8, {100, 100, 100, 100}), 0);
  EXPECT_EQ(s.dtype(), DType::i32);
  EXPECT_EQ(s.int_value(0), 400);  // no i8 wrap
  EXPECT_EQ(sum(imake(DType::u8, {255, 255}), 0).dtype(), DType::u32);
  EXPECT_EQ(sum(imake(DType::boolean, {1, 1, 1, 0}), 0).int_value(0), 3);
  EXPECT_EQ(sum(imake(DType::boolean, {1, 1}), 0).dtype(), DType::i32);
}
TEST(ConformanceReductions, Sec2_6_SumKeepsF16AndAccumulatesInF32) {
  std::vector<double> v(1024, 1.0);
  v[0] = 2048;  // f16 accumulation would stick at 2048 (spacing 2); f32 gives 3071 -> 3072
  const Tile s = sum(make(DType::f16, v), 0);
  EXPECT_EQ(s.dtype(), DType::f16);
  EXPECT_EQ(s.value(0), 3072.0);
}
TEST(ConformanceReductions, Sec2_6_SumWithDtypeCastsFirst) {
  const Tile s = sum(make(DType::f16, {1, 2}), 0, KeepDims::no, DType::f32);
  EXPECT_EQ(s.dtype(), DType::f32);
  EXPECT_EQ(s.value(0), 3.0);
}
TEST(ConformanceReductions, Sec2_6_MaxUpcastsNarrowTypes) {
  EXPECT_EQ(max(make(DType::f16, {1, 2}), 0).dtype(), DType::f32);
  EXPECT_EQ(max(make(DType::bf16, {1, 2}), 0).dtype(), DType::f32);
  EXPECT_EQ(min(imake(DType::i8, {-3, 2}), 0).dtype(), DType::i32);
  EXPECT_EQ(max(imake(DType::u16, {7, 65535}), 0).dtype(), DType::i32);
  EXPECT_EQ(max(imake(DType::u16, {7, 65535}), 0).int_value(0), 65535);
  EXPECT_EQ(max(make(DType::f64, {1, 2}), 0).dtype(), DType::f64);
}
TEST(ConformanceReductions, Sec4_1_MaxResultIsATypedScalarThatPromotes) {
  // f16 block - max(f16 block, 0) is f32, because that max returns f32 (TRITON.md §4.1).
  const Tile x = make(DType::f16, {1, 3});
  const Tile r = x - max(x, 0);
  EXPECT_EQ(r.dtype(), DType::f32);
  EXPECT_EQ(r.values(), (D{-2, 0}));
}
TEST(ConformanceReductions, Sec2_6_MaxAndMinAlongAnAxis) {
  EXPECT_EQ(max(grid2x4(), 1).int_values(), (I{3, 7}));
  EXPECT_EQ(min(grid2x4(), 0, keep_dims).shape(), (Shape{1, 4}));
  EXPECT_EQ(min(grid2x4(), 0).int_values(), (I{0, 1, 2, 3}));
}
TEST(ConformanceReductions, Sec2_6_ArgmaxTiesGoToTheSmallestIndex) {
  const Tile a = argmax(imake(DType::i32, {1, 5, 5, 2}), 0);
  EXPECT_EQ(a.dtype(), DType::i32);
  EXPECT_EQ(a.int_value(0), 1);
  EXPECT_EQ(argmin(imake(DType::i32, {3, 0, 9, 0}), 0).int_value(0), 1);
  EXPECT_EQ(argmax(grid2x4(), 1, keep_dims).shape(), (Shape{2, 1}));
}
TEST(ConformanceReductions, Sec2_6_MaxAndMinWithIndices) {
  // return_indices: (values, i32 indices of the first occurrence); no sub-32-bit widening, bf16
  // becomes f32; NaN ignored.
  const auto [v, i] =
      max_with_indices(reshape(make(DType::f16, {1, 5, 5, 2, 3, 0, 7, 7}), Shape{2, 4}), 1);
  EXPECT_EQ(v.dtype(), DType::f16);
  EXPECT_EQ(i.dtype(), DType::i32);
  EXPECT_EQ(v.values(), (D{5, 7}));
  EXPECT_EQ(i.int_values(), (I{1, 2}));
  const auto [mv, mi] = min_with_indices(grid2x4(), 0, keep_dims);
  EXPECT_EQ(mv.shape(), (Shape{1, 4}));
  EXPECT_EQ(mv.int_values(), (I{0, 1, 2, 3}));
  EXPECT_EQ(mi.int_values(), (I{0, 0, 0, 0}));
  const auto [fv, fi] = max_with_indices(imake(DType::i8, {-3, 9, 2, 9}));
  EXPECT_EQ(fv.dtype(), DType::i8);  // plain max would give i32
  EXPECT_EQ(fv.shape(), Shape{});
  EXPECT_EQ(fv.int_value(0), 9);
  EXPECT_EQ(fi.int_value(0), 1);
  const auto [bv, bi] = min_with_indices(make(DType::bf16, {NAN, 4, -2}), 0);
  EXPECT_EQ(bv.dtype(), DType::f32);
  EXPECT_EQ(bv.value(0), -2.0);
  EXPECT_EQ(bi.int_value(0), 2);
  EXPECT_THROW((void)max_with_indices(reshape(make(DType::f32, {1}), Shape{}), 0),
               base::ShapeError);
}
TEST(ConformanceReductions, NamedOptionsMatchThePositionalForms) {
  const Tile f16 = reshape(make(DType::f16, {1, 2, 3, 4}), Shape{2, 2});
  EXPECT_EQ(sum(f16, {.axis = 0, .dtype = DType::f32}).dtype(), DType::f32);
  EXPECT_EQ(sum(f16, {.axis = 0, .dtype = DType::f32}).values(), (D{4, 6}));
  EXPECT_EQ(sum(grid2x4(), {.keep_dims = true}).shape(), (Shape{1, 1}));
  EXPECT_EQ(max(grid2x4(), {.axis = 1, .keep_dims = true}).int_values(), (I{3, 7}));
  EXPECT_EQ(min(grid2x4(), {.axis = 0}).int_values(), (I{0, 1, 2, 3}));
  EXPECT_EQ(argmax(grid2x4(), {.axis = -1}).int_values(), (I{3, 3}));
  EXPECT_EQ(argmin(grid2x4(), {.axis = 1}).int_values(), (I{0, 0}));
  EXPECT_EQ(max_with_indices(grid2x4(), {.axis = 0}).second.int_values(), (I{1, 1, 1, 1}));
  EXPECT_EQ(min_with_indices(grid2x4(), {.axis = 0}).first.int_values(), (I{0, 1, 2, 3}));
  EXPECT_EQ(cumsum(imake(DType::i32, {1, 2, 3}), {.reverse = true}).int_values(), (I{6, 5, 3}));
  EXPECT_THROW((void)argmax(grid2x4(), {.keep_dims = true}), SemanticError);  // no axis
  EXPECT_THROW((void)sum(grid2x4(), {.reverse = true}), SemanticError);
  const Tile a = make(DType::f16, {1, 2, 3, 4}).reshaped(Shape{2, 2});
  const Tile acc = full(Shape{2, 2}, 1.0, DType::f16);
  const Tile named = dot(a, a, {.acc = acc, .out_dtype = DType::f16});
  EXPECT_EQ(named.dtype(), DType::f16);
  EXPECT_EQ(named.values(), dot(a, a, acc, InputPrecision::ieee, DType::f16).values());
}
TEST(ConformanceReductions, Sec2_6_CumsumIsInclusiveAndCanRunReversed) {
  EXPECT_EQ(cumsum(imake(DType::i32, {1, 2, 3, 4})).int_values(), (I{1, 3, 6, 10}));
  EXPECT_EQ(cumsum(imake(DType::i32, {1, 2, 3, 4}), 0, true).int_values(), (I{10, 9, 7, 4}));
  EXPECT_EQ(cumsum(grid2x4(), 1).int_values(), (I{0, 1, 3, 6, 4, 9, 15, 22}));
  EXPECT_EQ(cumsum(imake(DType::i8, {100, 100})).dtype(), DType::i32);
}
TEST(ConformanceReductions, Sec2_6_ReducingAScalarIsAShapeError) {
  EXPECT_THROW(sum(testing::scalar(DType::f32, 1), 0), base::ShapeError);
  EXPECT_THROW(sum(arange(0, 4), 1), base::ShapeError);
}

// ---- dot ----
Tile mat(DType t, std::vector<double> v, std::int64_t r, std::int64_t c) {
  return Tile::from_doubles(Shape{r, c}, t, v);
}
TEST(ConformanceReductions, Sec2_7_DotF16AccumulatesInF32) {
  const Tile a = mat(DType::f16, {1, 2, 3, 4}, 2, 2), b = mat(DType::f16, {5, 6, 7, 8}, 2, 2);
  const Tile c = dot(a, b);
  EXPECT_EQ(c.dtype(), DType::f32);
  EXPECT_EQ(c.values(), (D{19, 22, 43, 50}));
  EXPECT_EQ(dot(a, b, {}, InputPrecision::ieee, DType::f16).dtype(), DType::f16);
  EXPECT_THROW(dot(a, b, {}, InputPrecision::ieee, DType::bf16), SemanticError);
}
TEST(ConformanceReductions, Sec2_7_DotWithAccAddsIt) {
  const Tile a = mat(DType::bf16, {1, 2, 3, 4}, 2, 2);
  const Tile acc = full(Shape{2, 2}, 0.5, DType::f32);
  EXPECT_EQ(dot(a, a, acc).values(), (D{7.5, 10.5, 15.5, 22.5}));
  EXPECT_THROW(dot(a, a, zeros(Shape{2, 2}, DType::f16)), SemanticError);  // acc must be f32
}
TEST(ConformanceReductions, Sec2_7_DotI8GivesI32) {
  const Tile a = Tile::from_ints(Shape{1, 2}, DType::i8, I{127, 127});
  const Tile b = Tile::from_ints(Shape{2, 1}, DType::i8, I{127, 127});
  const Tile c = dot(a, b);
  EXPECT_EQ(c.dtype(), DType::i32);
  EXPECT_EQ(c.int_value(0), 2 * 127 * 127);
}
TEST(ConformanceReductions, Sec4_4_DotDoesNotPromote) {
  EXPECT_THROW(dot(mat(DType::f16, {1}, 1, 1), mat(DType::f32, {1}, 1, 1)), SemanticError);
  EXPECT_THROW(dot(mat(DType::i32, {1}, 1, 1), mat(DType::i32, {1}, 1, 1)), SemanticError);
}
TEST(ConformanceReductions, Sec2_7_DotShapesAndBatches) {
  EXPECT_THROW(dot(zeros({2, 4}, DType::f32), zeros({2, 4}, DType::f32)), base::ShapeError);
  const Tile a = reshape(arange(0, 8), Shape{2, 2, 2}).to(DType::f32);
  const Tile c = dot(a, a);  // per batch: [[0 1][2 3]]^2 and [[4 5][6 7]]^2
  EXPECT_EQ(c.shape(), (Shape{2, 2, 2}));
  EXPECT_EQ(c.values(), (D{2, 3, 6, 11, 46, 55, 66, 79}));
}

}  // namespace
}  // namespace kernbench::tl
