// Tensor descriptors: blocks loaded at element offsets with zeros outside the tensor on every
// dimension, stores that drop what lies outside, the same DMA time as the equivalent checked
// block pointer, and the errors (last stride, rank, counts, offsets).
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using D = std::vector<double>;
using testing::iota;

TEST(TensorDesc, LoadsReadZerosOutsideOnEveryDimension) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::f32, iota(24), {4, 6});  // m[r][c] = 6r + c
  std::vector<D> seen;
  rig.run(
      [&](Program& p) {
        const TensorDesc d = make_tensor_descriptor(p.pointer(0), {4, 6}, {6, 1}, {2, 4});
        EXPECT_EQ(d.describe(),
                  "tensor_descriptor(*f32, shape [4, 6], strides [6, 1], block [2, 4])");
        seen.push_back(d.load({p.program_id(0) * 2, 0}).values());
        seen.push_back(d.load({p.program_id(0) * 2 + 1, 4}).values());  // rows and columns past
        EXPECT_EQ(d.load({-2, 0}).values(), D(8, 0.0));  // wholly outside: nothing read
      },
      {m}, rt::Grid{2});
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (D{0, 1, 2, 3, 6, 7, 8, 9}));
  EXPECT_EQ(seen[1], (D{10, 11, 0, 0, 16, 17, 0, 0}));
  EXPECT_EQ(seen[2], (D{12, 13, 14, 15, 18, 19, 20, 21}));
  EXPECT_EQ(seen[3], (D{22, 23, 0, 0, 0, 0, 0, 0}));
}

TEST(TensorDesc, StoresDropWhatLiesOutsideAndCastToThePointee) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::i32, D(6, 0.0), {2, 3});
  rig.run(
      [](Program& p) {
        const TensorDesc d = make_tensor_descriptor(p.pointer(0), {2, 3}, {3, 1}, {2, 4});
        d.store({1, 1}, full(Shape{2, 4}, 7.9, DType::f32));  // only (1, 1) and (1, 2) inside
        d.store({-1, -2}, 5);                                 // a scalar splats: (0, 0), (0, 1)
      },
      {m});
  EXPECT_EQ(rig.read(m), (D{5, 5, 0, 0, 7, 7}));
}

TEST(TensorDesc, TakesTheTimeOfTheCheckedBlockPointer) {
  const auto timed = [](bool descriptor) {
    testing::Rig rig;
    const auto m = rig.tensor(DType::f32, iota(64 * 48), {64, 48});
    base::SimTime took;
    rig.run(
        [&](Program& p) {
          const base::SimTime t0 = p.context().process().now();
          if (descriptor) {
            (void)make_tensor_descriptor(p.pointer(0), {64, 48}, {48, 1}, {32, 32})
                .load({48, 32})
                .data();
          } else {
            (void)load(make_block_ptr(p.pointer(0), {64, 48}, {48, 1}, {48, 32}, {32, 32}, {1, 0}),
                       {0, 1})
                .data();
          }
          took = p.context().process().now() - t0;
        },
        {m});
    return took;
  };
  EXPECT_GT(timed(true), base::SimTime{});
  EXPECT_EQ(timed(true), timed(false));
}

TEST(TensorDescErrors, LastStrideRankCountsAndOffsetsNameTheProblem) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::f32, iota(24), {4, 6});
  rig.run(
      [](Program& p) {
        try {
          (void)make_tensor_descriptor(p.pointer(0), {6, 4}, {1, 6}, {4, 4});
          FAIL();
        } catch (const SemanticError& e) {
          EXPECT_STREQ(e.what(),
                       "make_tensor_descriptor: the last stride must be 1, got strides [1, 6]");
        }
        try {
          (void)make_tensor_descriptor(p.pointer(0), {4, 6}, {6, 1}, {2});
          FAIL();
        } catch (const base::ShapeError& e) {
          EXPECT_STREQ(e.what(),
                       "make_tensor_descriptor: shape, strides and block_shape must have one "
                       "entry per dimension, got 2, 2 and 1");
        }
        EXPECT_THROW((void)make_tensor_descriptor(p.pointer(0), {1, 1, 1, 1, 1, 24},
                                                  {24, 24, 24, 24, 24, 1}, {1, 1, 1, 1, 1, 8}),
                     base::ShapeError);
        try {
          (void)make_tensor_descriptor(p.pointer(0), {4, 6}, {6, 1}, {2, 3});
          FAIL();
        } catch (const base::ShapeError& e) {
          EXPECT_STREQ(e.what(),
                       "make_tensor_descriptor: shape [2, 3] has dimension 1 = 3, not a "
                       "power of two");
        }
        EXPECT_THROW(
            (void)make_tensor_descriptor(p.pointer(0) + arange(0, 2), {4, 6}, {6, 1}, {2, 4}),
            SemanticError);
        const TensorDesc d = make_tensor_descriptor(p.pointer(0), {4, 6}, {6, 1}, {2, 4});
        try {
          (void)d.load({0});
          FAIL();
        } catch (const base::ShapeError& e) {
          EXPECT_STREQ(e.what(),
                       "tensor descriptor load: 1 offsets for tensor_descriptor(*f32, shape [4, "
                       "6], strides [6, 1], block [2, 4]) (2 dimensions)");
        }
      },
      {m});
}

}  // namespace
}  // namespace kernbench::tl
