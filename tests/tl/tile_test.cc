// Tile basics: construction, creation ops, shape ops and their errors.
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using I = std::vector<std::int64_t>;

TEST(Tile, DefaultIsAnI32ScalarZero) {
  const Tile t;
  EXPECT_EQ(t.dtype(), DType::i32);
  EXPECT_EQ(t.rank(), 0);
  EXPECT_EQ(t.item(), 0);
  EXPECT_EQ(t.describe(), "i32[]");
}

TEST(Tile, ArangeFullZeros) {
  EXPECT_EQ(arange(4, 8).int_values(), (I{4, 5, 6, 7}));
  EXPECT_EQ(arange(4, 8).dtype(), DType::i32);
  EXPECT_EQ(full({2}, 1.5, DType::f16).values(), (std::vector<double>{1.5, 1.5}));
  EXPECT_EQ(zeros({2, 2}, DType::bf16).describe(), "bf16[2, 2]");
  EXPECT_EQ(zeros_like(arange(0, 4)).int_values(), (I{0, 0, 0, 0}));
  EXPECT_EQ(full_like(arange(0, 2), 3).int_values(), (I{3, 3}));
}

TEST(TileErrors, ArangeNeedsAPowerOfTwoLength) {
  try {
    (void)arange(0, 6);
    FAIL();
  } catch (const base::ShapeError& e) {
    EXPECT_STREQ(e.what(), "arange(0, 6): shape [6] has dimension 0 = 6, not a power of two");
  }
  EXPECT_THROW(arange(4, 4), base::ShapeError);
  EXPECT_THROW(zeros({3}, DType::f32), base::ShapeError);
}

TEST(Tile, ReshapeTransPermuteExpandDims) {
  const Tile x = reshape(arange(0, 8), Shape{2, 4});
  EXPECT_EQ(trans(x).shape(), (Shape{4, 2}));
  EXPECT_EQ(x.T().int_values(), (I{0, 4, 1, 5, 2, 6, 3, 7}));
  const Tile y = reshape(arange(0, 8), Shape{2, 2, 2});
  EXPECT_EQ(permute(y, {2, 0, 1}).int_values(), (I{0, 2, 4, 6, 1, 3, 5, 7}));
  EXPECT_EQ(expand_dims(arange(0, 4), 0).shape(), (Shape{1, 4}));
  EXPECT_EQ(expand_dims(arange(0, 4), -1).shape(), (Shape{4, 1}));
  EXPECT_EQ(ravel(x).shape(), (Shape{8}));
  auto [a, b] = broadcast(arange(0, 4).col(), arange(0, 2).row());
  EXPECT_EQ(a.shape(), (Shape{4, 2}));
  EXPECT_EQ(b.int_values(), (I{0, 1, 0, 1, 0, 1, 0, 1}));
}

TEST(TileErrors, ShapeOpsNameTheOperand) {
  try {
    (void)reshape(arange(0, 8), Shape{4, 4});
    FAIL();
  } catch (const base::ShapeError& e) {
    EXPECT_STREQ(e.what(), "reshape: cannot view i32[8] as [4, 4] (element counts differ)");
  }
  EXPECT_THROW(permute(arange(0, 4).col(), {0, 0}), base::ShapeError);
  EXPECT_THROW(trans(arange(0, 4)), base::ShapeError);
  EXPECT_THROW(arange(0, 4).col().col(), base::ShapeError);
}

TEST(Tile, ArithmeticWrapsAndDivisionByZeroIsDefined) {
  const Tile big = testing::imake(DType::i32, {2147483647});
  EXPECT_EQ((big + 1).int_value(0), -2147483648LL);
  EXPECT_EQ((testing::imake(DType::i32, {5}) / 0).int_value(0), -1);
  EXPECT_EQ((testing::imake(DType::i32, {5}) % 0).int_value(0), 5);
  EXPECT_EQ((testing::imake(DType::i32, {-2147483648LL}) / -1).int_value(0), -2147483648LL);
  EXPECT_EQ((testing::imake(DType::u8, {250}) * 2).int_value(0), 244);
}

TEST(Tile, UnaryOperatorsAndCompoundAssignment) {
  const Tile x = testing::imake(DType::i32, {3, -4});
  EXPECT_EQ((-x).int_values(), (I{-3, 4}));
  EXPECT_EQ((~x).int_values(), (I{-4, 3}));
  EXPECT_EQ((!x).int_values(), (I{0, 0}));
  EXPECT_EQ(abs(x).int_values(), (I{3, 4}));
  EXPECT_EQ((~testing::imake(DType::u8, {0})).int_value(0), 255);
  Tile acc = zeros({2}, DType::f16);
  acc += testing::make(DType::f32, {1, 2});  // promotion rebinds the name to f32
  EXPECT_EQ(acc.dtype(), DType::f32);
  EXPECT_EQ(cdiv(10, 4), 3);
  EXPECT_EQ(cdiv(testing::imake(DType::i32, {10, 12}), 4).int_values(), (I{3, 3}));
  EXPECT_EQ(logical_and(testing::imake(DType::i32, {2, 0}), true).int_values(), (I{1, 0}));
}

}  // namespace
}  // namespace kernbench::tl
