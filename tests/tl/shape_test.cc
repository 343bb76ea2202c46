// Shape: dims, strides, edits, broadcasting rules and block-shape limits.
#include "kernbench/tl/shape.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::tl {
namespace {

TEST(Shape, DimsStridesAndEdits) {
  const Shape s{2, 3, 4};
  EXPECT_EQ(s.rank(), 3);
  EXPECT_EQ(s.numel(), 24);
  EXPECT_EQ(s.strides()[0], 12);
  EXPECT_EQ(s.strides()[2], 1);
  EXPECT_EQ(s.inserted(1, 1), (Shape{2, 1, 3, 4}));
  EXPECT_EQ(s.removed(0), (Shape{3, 4}));
  EXPECT_EQ(s.with(2, 1), (Shape{2, 3, 1}));
  EXPECT_EQ(s.to_string(), "[2, 3, 4]");
  EXPECT_EQ(Shape{}.to_string(), "[]");
  EXPECT_EQ(Shape{}.numel(), 1);
}

TEST(Shape, BroadcastShapes) {
  EXPECT_EQ(broadcast_shapes(Shape{4, 1}, Shape{1, 8}, "add"), (Shape{4, 8}));
  EXPECT_EQ(broadcast_shapes(Shape{8}, Shape{2, 8}, "add"), (Shape{2, 8}));
  EXPECT_EQ(broadcast_shapes(Shape{}, Shape{2, 8}, "add"), (Shape{2, 8}));
  EXPECT_THROW(broadcast_shapes(Shape{3}, Shape{2, 4}, "add"), base::ShapeError);
}

TEST(ShapeErrors, BlockShapesArePowersOfTwoWithinTheLimit) {
  EXPECT_NO_THROW(check_block_shape(Shape{1, 16, 1024}, "full"));
  try {
    check_block_shape(Shape{4, 6}, "full");
    FAIL();
  } catch (const base::ShapeError& e) {
    EXPECT_STREQ(e.what(), "full: shape [4, 6] has dimension 1 = 6, not a power of two");
  }
  EXPECT_THROW(check_block_shape(Shape{2048, 1024}, "zeros"), base::ShapeError);
  EXPECT_THROW((Shape{1, 1, 1, 1, 1, 1, 1}), base::ShapeError);
  EXPECT_THROW(wrap_axis(2, 2, "sum"), base::ShapeError);
  EXPECT_EQ(wrap_axis(-1, 2, "sum"), 1);
}

}  // namespace
}  // namespace kernbench::tl
