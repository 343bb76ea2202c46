// Operands walked broadcast to a result's shape (detail/aligned.h): the runs BroadcastRuns makes
// (merged dimensions, steps 0 and 1), element-wise ops and pointer arithmetic on broadcast
// operands equal the same on materialised copies (broadcast_to) to the bit, and a broadcast
// operand still holds the TCM its copy would.
#include "kernbench/tl/detail/aligned.h"

#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using detail::BroadcastRuns;

struct RunShape {
  std::int64_t out_offset;  // elements
  std::int64_t n;
  std::array<std::int64_t, 2> offset;  // elements into each operand
  std::array<std::int64_t, 2> step;
  bool operator==(const RunShape&) const = default;
};

std::vector<RunShape> runs_of(const Tile& a, const Tile& b, const Shape& shape) {
  std::vector<std::byte> out(static_cast<std::size_t>(shape.numel()) * 4);
  BroadcastRuns<2> runs({&a, &b}, shape, out.data(), 4);
  std::vector<RunShape> v;
  for (BroadcastRuns<2>::Run r; runs.next(r);)
    v.push_back({(r.out - out.data()) / 4,
                 r.n,
                 {(r.in[0].data - a.data()) / 4, (r.in[1].data - b.data()) / 4},
                 {r.in[0].step, r.in[1].step}});
  return v;
}

TEST(Aligned, SameShapesAndSplatsMergeIntoOneRun) {
  const Tile a = zeros({4, 8}, DType::f32), s = zeros(Shape{}, DType::f32);
  EXPECT_EQ(runs_of(a, a, Shape{4, 8}), (std::vector<RunShape>{{0, 32, {0, 0}, {1, 1}}}));
  EXPECT_EQ(runs_of(a, s, Shape{4, 8}), (std::vector<RunShape>{{0, 32, {0, 0}, {1, 0}}}));
}

TEST(Aligned, AColumnIsOneSplatPerRowAndARowRepeatsPerRow) {
  const Tile x = zeros({2, 4}, DType::f32), col = zeros({2, 1}, DType::f32);
  EXPECT_EQ(runs_of(x, col, Shape{2, 4}),
            (std::vector<RunShape>{{0, 4, {0, 0}, {1, 0}}, {4, 4, {4, 1}, {1, 0}}}));
  const Tile row = zeros({4}, DType::f32);  // rank 1 against rank 2: left-padded with 1
  EXPECT_EQ(runs_of(col, row, Shape{2, 4}),
            (std::vector<RunShape>{{0, 4, {0, 0}, {0, 1}}, {4, 4, {1, 0}, {0, 1}}}));
}

TEST(Aligned, SizeOneDimsAreDroppedAndAnEmptyResultHasNoRun) {
  const Tile a = zeros({1, 4, 1}, DType::f32), b = zeros({2, 1, 1}, DType::f32);
  EXPECT_EQ(runs_of(a, b, Shape{2, 4, 1}),
            (std::vector<RunShape>{{0, 4, {0, 0}, {1, 0}}, {4, 4, {0, 1}, {1, 0}}}));
  const Tile e(Shape{0, 4}, DType::f32);
  EXPECT_TRUE(runs_of(e, e, Shape{0, 4}).empty());
}

std::vector<std::byte> bytes_of(const Tile& t) {
  std::vector<std::byte> b(static_cast<std::size_t>(t.numel()) * t.element_bytes());
  std::memcpy(b.data(), t.data(), b.size());
  return b;
}

// A tile of `shape` and `dtype` with varied values (some zero, some negative).
Tile varied(Shape shape, DType dtype, int seed) {
  std::vector<double> v(static_cast<std::size_t>(shape.numel()));
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<double>((static_cast<int>(i) * 7 + seed) % 11) - 4.0;
  return Tile::from_doubles(shape, dtype, v);
}

Tile lifted(const Tile& t, const Shape& shape) {  // numpy's left padding, then broadcast_to
  std::vector<std::int64_t> dims(static_cast<std::size_t>(shape.rank() - t.rank()), 1);
  dims.insert(dims.end(), t.shape().dims().begin(), t.shape().dims().end());
  return broadcast_to(t.reshaped(Shape(dims)), shape);
}

TEST(Aligned, BroadcastOpsEqualTheOpsOnMaterialisedCopies) {
  const std::vector<std::pair<Shape, Shape>> pairs{
      {{4, 1}, {1, 8}}, {{4, 8}, {8}},       {{2, 1, 4}, {3, 1}},   {{1}, {4, 4}},
      {{4, 4}, {4, 1}}, {{2, 4, 8}, {4, 1}}, {{8, 1, 1}, {1, 2, 2}}};
  for (const DType dtype : {DType::f32, DType::f16, DType::i32, DType::u8, DType::f64}) {
    for (const auto& [sa, sb] : pairs) {
      const Tile a = varied(sa, dtype, 1), b = varied(sb, dtype, 5);
      const Shape shape = broadcast_shapes(sa, sb, "test");
      for (const BinaryOp op : {BinaryOp::add, BinaryOp::sub, BinaryOp::mul, BinaryOp::div,
                                BinaryOp::lt, BinaryOp::maximum}) {
        const Tile walked = binary(op, a, b);
        const Tile copied = binary(op, lifted(a, shape), lifted(b, shape));
        const auto what =
            fmt::format("{} {} {} op {}", base::name(dtype), sa, sb, static_cast<int>(op));
        EXPECT_EQ(walked.shape(), shape) << what;
        EXPECT_EQ(bytes_of(walked), bytes_of(copied)) << what;
      }
      const Tile c = varied(sb, DType::i32, 2) > 0;
      EXPECT_EQ(bytes_of(where(c, a, b)),
                bytes_of(where(lifted(c, shape), lifted(a, shape), lifted(b, shape))));
      if (base::is_floating(dtype)) {
        EXPECT_EQ(bytes_of(fma(a, b, c.to(dtype))),
                  bytes_of(fma(lifted(a, shape), lifted(b, shape), lifted(c.to(dtype), shape))));
      }
    }
  }
}

TEST(Aligned, BroadcastPointerArithmeticEqualsItOnMaterialisedCopies) {
  const Tile null(Shape{}, DType::f32, true);  // address 0
  const Tile rows = null + arange(0, 4).col() * 16;
  const Tile offs = arange(0, 8).row();
  const Shape shape{4, 8};
  const Tile walked = rows + offs;
  EXPECT_EQ(walked.describe(), "*f32[4, 8]");
  EXPECT_EQ(bytes_of(walked), bytes_of(lifted(rows, shape) + lifted(offs, shape)));
  EXPECT_EQ(walked.address(8 + 3), 4u * (16 + 3));  // row 1, column 3; 4-byte elements
  EXPECT_EQ(bytes_of(walked - offs), bytes_of(lifted(rows, shape)));  // back to the rows
}

TEST(Aligned, ABroadcastOperandHoldsTheTcmOfItsCopyWhileTheOpRuns) {
  testing::Rig rig;
  rig.run(
      [](Program& p) {
        const Tile col = zeros({64, 1}, DType::f32).with_program(&p);
        const Tile row = zeros({1, 64}, DType::f32).with_program(&p);
        const std::uint64_t before = p.tcm_ledger()->live_bytes();
        const Tile sum = col + row;
        // During the add: the result and both operands' [64, 64] copies, as when they were made.
        EXPECT_EQ(p.tcm_ledger()->peak_bytes(), before + 3 * 64 * 64 * 4);
        EXPECT_EQ(p.tcm_ledger()->live_bytes(), before + 64 * 64 * 4);
      },
      {});
}

}  // namespace
}  // namespace kernbench::tl
