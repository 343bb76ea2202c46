// Block pointers: windows of a matrix by offsets from program ids, advance along K, boundary
// checks with zero / NaN padding, stores that skip what lies outside, strided (transposed) views,
// the DMA runs they move (a row per run, no vector work, no TCM for addresses), and the errors.
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using D = std::vector<double>;
using testing::iota;

TEST(BlockPtr, WindowsOfAMatrixAndAdvanceWithBoundaryCheck) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::f32, iota(24), {4, 6});  // m[r][c] = 6r + c
  std::vector<D> seen;
  rig.run(
      [&](Program& p) {
        const BlockPtr a =
            make_block_ptr(p.pointer(0), {4, 6}, {6, 1}, {p.program_id(0) * 2, 0}, {2, 4}, {1, 0});
        seen.push_back(load(a).values());
        const BlockPtr b = advance(a, {0, 4});  // columns 4..7: 6 and 7 lie outside
        EXPECT_EQ(b.offsets(), (std::vector<std::int64_t>{p.program_id(0).item() * 2, 4}));
        seen.push_back(load(b, {1}).values());
        const Tile nan_padded = load(b, {0, 1}, Padding::nan);
        EXPECT_TRUE(std::isnan(nan_padded.value(2)));
        EXPECT_EQ(nan_padded.value(1), b.offsets()[0] * 6 + 5);
      },
      {m}, rt::Grid{2});
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], (D{0, 1, 2, 3, 6, 7, 8, 9}));
  EXPECT_EQ(seen[1], (D{4, 5, 0, 0, 10, 11, 0, 0}));
  EXPECT_EQ(seen[2], (D{12, 13, 14, 15, 18, 19, 20, 21}));
  EXPECT_EQ(seen[3], (D{16, 17, 0, 0, 22, 23, 0, 0}));
}

TEST(BlockPtr, StoresSkipWhatLiesOutsideTheCheckedDims) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::i32, D(6, 0.0), {2, 3});
  rig.run(
      [](Program& p) {
        const BlockPtr b = make_block_ptr(p.pointer(0), {2, 3}, {3, 1}, {-1, 1}, {4, 4}, {1, 0});
        store(b, reshape(arange(0, 16), Shape{4, 4}), {0, 1});  // rows -1..2, cols 1..4
      },
      {m});
  // Block row 1 is tensor row 0, block row 2 is row 1; block cols 0, 1 are tensor cols 1, 2.
  EXPECT_EQ(rig.read(m), (D{0, 4, 5, 0, 8, 9}));
}

TEST(BlockPtr, StridesGiveTransposedViews) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::f16, iota(8), {2, 4});
  rig.run(
      [](Program& p) {
        // The 4 x 2 transpose of a row-major 2 x 4 matrix: strides (1, 4).
        const BlockPtr t = make_block_ptr(p.pointer(0), {4, 2}, {1, 4}, {0, 0}, {4, 2}, {0, 1});
        EXPECT_EQ(load(t).values(), (D{0, 4, 1, 5, 2, 6, 3, 7}));
      },
      {m});
}

TEST(BlockPtr, RowsMoveAsRunsWithoutVectorWorkOrAddressTcm) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::f32, iota(64 * 64), {64, 64});
  rig.run(
      [](Program& p) {
        const BlockPtr b =
            make_block_ptr(p.pointer(0), {64, 64}, {64, 1}, {8, 16}, {16, 32}, {1, 0});
        const std::uint64_t before = p.tcm_ledger()->live_bytes();
        const Tile x = load(b, {0, 1});
        EXPECT_EQ(p.tcm_ledger()->live_bytes(), before + 16 * 32 * 4);
        EXPECT_EQ(x.value(0), 8 * 64 + 16);
      },
      {m});
  EXPECT_EQ(rig.last_work().dma_runs, 16);
  EXPECT_EQ(rig.last_work().dma_read_bytes, 16 * 32 * 4);
  EXPECT_EQ(rig.last_work().vector_elements, 0);
}

// A contiguous block's runs are planned a row at a time; they must be those of the same lanes
// loaded and stored through a pointer tile and mask (planned lane by lane), ragged edges and all.
TEST(BlockPtr, RowPlannedRunsEqualThoseOfTheSameLanesThroughPointers) {
  struct Result {
    WorkTally work;
    ProgramStats stats;
    D loaded, stored;
  };
  const auto run = [](bool through_block) {
    testing::Rig rig;
    const auto t = rig.tensor(DType::f32, iota(35));  // [5, 7]
    const auto u = rig.tensor(DType::f32, D(35, -1.0));
    D loaded;
    rig.run(
        [&](Program& p) {
          const Tile rows = 3 + arange(0, 4), cols = 4 + arange(0, 8);
          const Tile live = (rows.col() < 5) & (cols.row() < 7);
          const Tile offs = rows.col() * 7 + cols.row();
          Tile x;
          if (through_block) {
            x = load(make_block_ptr(p.pointer(0), {5, 7}, {7, 1}, {3, 4}, {4, 8}, {1, 0}), {0, 1});
            store(make_block_ptr(p.pointer(1), {5, 7}, {7, 1}, {3, 4}, {4, 8}, {1, 0}), x, {0, 1});
          } else {
            x = load(p.pointer(0) + offs, live, 0.0);
            store(p.pointer(1) + offs, x, live);
          }
          loaded = x.values();
        },
        {t, u});
    return Result{rig.last_work(), rig.last_stats(), loaded, rig.read(u)};
  };
  const Result block = run(true), lanes = run(false);
  EXPECT_EQ(block.work.dma_runs, lanes.work.dma_runs);
  EXPECT_EQ(block.work.dma_runs, 4);  // rows 3 and 4, read and written; rows 5 and 6 masked
  EXPECT_EQ(block.work.dma_read_bytes, lanes.work.dma_read_bytes);
  EXPECT_EQ(block.work.dma_write_bytes, lanes.work.dma_write_bytes);
  EXPECT_EQ(block.stats.elapsed, lanes.stats.elapsed);
  EXPECT_EQ(block.loaded, lanes.loaded);
  EXPECT_EQ(block.stored, lanes.stored);
  EXPECT_EQ(block.loaded[0], 25.0);  // element (3, 4)
}

TEST(BlockPtrErrors, BadDescriptorsNameWhatIsWrong) {
  testing::Rig rig;
  const auto m = rig.tensor(DType::i32, D(16, 0.0), {4, 4});
  const auto expect = [](auto&& f, const char* text) {
    try {
      f();
      ADD_FAILURE() << "no error for: " << text;
    } catch (const base::Error& e) {
      EXPECT_STREQ(e.what(), text);
    }
  };
  rig.run(
      [&](Program& p) {
        const Tile base = p.pointer(0);
        expect(
            [&] {
              make_block_ptr(base, {4, 4}, {4}, {0, 0}, {2, 2}, {1, 0});
            },
            "make_block_ptr: shape, strides, offsets, block_shape and order must have one "
            "entry per dimension, got 2, 1, 2, 2 and 2");
        expect(
            [&] {
              make_block_ptr(base, {4, 4}, {4, 1}, {0, 0}, {2, 2}, {1, 1});
            },
            "make_block_ptr: order [1, 1] is not a permutation of the 2 dimensions");
        expect(
            [&] {
              make_block_ptr(base, {4, 4}, {4, 1}, {0, 0}, {2, 3}, {1, 0});
            },
            "make_block_ptr: shape [2, 3] has dimension 1 = 3, not a power of two");
        expect([&] { make_block_ptr(base + arange(0, 2), {4}, {1}, {0}, {2}, {0}); },
               "make_block_ptr: base must be a scalar pointer, got *i32[2]");
        expect([&] { make_block_ptr(base, {4}, {1}, {full({}, 1.5, DType::f32)}, {2}, {0}); },
               "block pointer offsets must be integer scalars, got f32[]");
        const BlockPtr b = make_block_ptr(base, {4, 4}, {4, 1}, {0, 0}, {2, 2}, {1, 0});
        expect([&] { (void)load(b, {2}); },
               "load: boundary_check dimension 2 is not a dimension of block_ptr(*i32, shape "
               "[4, 4], strides [4, 1], offsets [0, 0], block [2, 2])");
        expect([&] { (void)load(b, {0}, Padding::nan); },
               "load: padding nan needs a floating pointee, got block_ptr(*i32, shape [4, 4], "
               "strides [4, 1], offsets [0, 0], block [2, 2])");
        expect([&] { (void)advance(b, {1}); },
               "advance: 1 offsets for block_ptr(*i32, shape [4, 4], strides [4, 1], offsets "
               "[0, 0], block [2, 2]) (2 dimensions)");
      },
      {m});
}

}  // namespace
}  // namespace kernbench::tl
