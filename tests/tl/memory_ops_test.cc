// load / store through pointer tiles: masks, other, casts on store, 2-D pointer blocks, runs
// counted for the DMA, and the errors (unmapped lanes, mask rank, pointers without a program).
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::make;
using D = std::vector<double>;

TEST(MemoryOps, VectorAddComputesAndStores) {
  testing::Rig rig;
  const auto x = rig.tensor(DType::f32, {1, 2, 3, 4, 5, 6});
  const auto y = rig.tensor(DType::f32, {10, 20, 30, 40, 50, 60});
  const auto z = rig.tensor(DType::f32, D(6, 0.0));
  rig.run(
      [](Program& p) {
        const Tile offs = p.program_id(0) * 4 + arange(0, 4);
        const Tile live = offs < p.scalar(3);
        store(p.pointer(2) + offs,
              load(p.pointer(0) + offs, live) + load(p.pointer(1) + offs, live), live);
      },
      {x, y, z, rt::ScalarArg{DType::i64, std::int64_t{6}}}, rt::Grid{2});
  EXPECT_EQ(rig.read(z), (D{11, 22, 33, 44, 55, 66}));
}

// Lanes that leave one tensor's mapping for another's and come back each read their own tensor:
// the run planner reuses its last translation only inside that translation's mapping.
TEST(MemoryOps, LanesMovingBetweenTwoTensorsReadEachTheirOwn) {
  testing::Rig rig;
  const auto a = rig.tensor(DType::f32, {1, 2, 3, 4, 5, 6, 7, 8});
  const auto b = rig.tensor(DType::f32, {10, 20, 30, 40, 50, 60, 70, 80});
  const auto out = rig.tensor(DType::f32, D(8, 0.0));
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 8);
        const Tile from_b = (offs >= 2) & (offs < 5);
        store(p.pointer(2) + offs, load(where(from_b, p.pointer(1) + offs, p.pointer(0) + offs)));
        EXPECT_EQ(p.work().dma_runs, 3 + 1);  // a[0:2], b[2:5], a[5:8]; then the store's one
      },
      {a, b, out});
  EXPECT_EQ(rig.read(out), (D{1, 2, 30, 40, 50, 6, 7, 8}));
}

TEST(MemoryOps, OtherFillsMaskedLanesCastToThePointee) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f16, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 4);
        const Tile x = load(p.pointer(0) + offs, offs < 3, -INFINITY);
        EXPECT_EQ(x.dtype(), DType::f16);
        EXPECT_EQ(x.value(2), 3.0);
        EXPECT_TRUE(std::isinf(x.value(3)) && x.value(3) < 0);
      },
      {t});
}

TEST(MemoryOps, StoreCastsTheValueToThePointeeWithRounding) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f16, {0, 0});
  rig.run(
      [](Program& p) {
        store(p.pointer(0) + arange(0, 2), make(DType::f32, {1.0 + 3 * std::ldexp(1.0, -11), 2}));
      },
      {t});
  EXPECT_EQ(rig.read(t), (D{1.0 + std::ldexp(1.0, -9), 2}));
}

TEST(MemoryOps, TwoDimensionalBlocksWithBroadcastMasks) {
  testing::Rig rig;
  // A 3 x 3 row-major matrix read into a 4 x 4 block; rows and columns past 3 are masked.
  const auto m = rig.tensor(DType::f32, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 3});
  const auto out = rig.tensor(DType::f32, D(9, 0.0), {3, 3});
  rig.run(
      [](Program& p) {
        const Tile r = arange(0, 4), c = arange(0, 4);
        const Tile mask = (r.col() < 3) & (c.row() < 3);
        const Tile a = load(p.pointer(0) + r.col() * 3 + c.row(), mask, 0.0);
        EXPECT_EQ(sum(a).value(0), 45.0);
        store(p.pointer(1) + r.col() * 3 + c.row(), trans(a), mask);
      },
      {m, out});
  EXPECT_EQ(rig.read(out), (D{1, 4, 7, 2, 5, 8, 3, 6, 9}));
}

TEST(MemoryOps, ContiguousLanesAreOneRunAndMaskedLanesMoveNothing) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, D(16, 1.0));
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 16);
        (void)load(p.pointer(0) + offs);                       // 1 run of 64 bytes
        (void)load(p.pointer(0) + offs, (offs % 4) < 2, 0.0);  // 4 runs of 8 bytes
      },
      {t});
  EXPECT_EQ(rig.last_work().dma_read_bytes, 64 + 32);
  EXPECT_EQ(rig.last_work().dma_runs, 1 + 4);
}

TEST(MemoryOps, ScalarPointerLoadsAndStoresOneElement) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::i32, {5, 0});
  rig.run([](Program& p) { store(p.pointer(0) + 1, load(p.pointer(0)) * 2); }, {t});
  EXPECT_EQ(rig.read(t), (D{5, 10}));
}

TEST(MemoryOpsErrors, UnmappedActiveLaneNamesKernelProgramPeVaAndOp) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, 2, 3, 4});
  const std::uint64_t page = rig.system().spec().cube.pe.mmu.page_size.count();
  try {
    rig.run(
        [&](Program& p) {
          const Tile offs =
              arange(0, 4) * static_cast<std::int64_t>(page / 4);  // lane 1: next page
          (void)load(p.pointer(0) + offs);
        },
        {t}, rt::Grid{1}, "vadd");
    FAIL() << "no fault";
  } catch (const base::AddressError& e) {
    EXPECT_EQ(std::string(e.what()),
              fmt::format("load: kernel 'vadd' program (0, 0, 0) on PE (sip 0, cube 0, pe 0): "
                          "lane 1 accesses va({:#x}), which is not mapped",
                          t.va.value() + page));
  }
}

TEST(MemoryOpsErrors, MaskedOutLanesAreNeverChecked) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 4) * 100000;  // lanes 1..3 point far outside the mapping
        store(p.pointer(0) + offs, 7.0, offs == 0);
        EXPECT_EQ(load(p.pointer(0) + offs, offs == 0, -1.0).values(), (D{7, -1, -1, -1}));
      },
      {t});
}

TEST(MemoryOpsErrors, MaskMustHaveThePointerRank) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, D(16, 0.0));
  rig.run(
      [](Program& p) {
        const Tile r = arange(0, 4);
        const Tile ptr = p.pointer(0) + r.col() * 4 + r.row();
        try {
          (void)load(ptr, r < 2);
          FAIL();
        } catch (const base::ShapeError& e) {
          EXPECT_STREQ(e.what(),
                       "load: mask of shape [4] cannot broadcast to [4, 4] (ranks must "
                       "match; each dim equal or 1)");
        }
        EXPECT_THROW(store(p.pointer(0), arange(0, 4)), base::ShapeError);  // block via scalar ptr
      },
      {t});
}

TEST(MemoryOpsErrors, PointersNeedAProgramAndLoadsNeedPointers) {
  EXPECT_THROW(load(arange(0, 4)), SemanticError);
  EXPECT_THROW(load(Tile(Shape{}, DType::f32, true)), SemanticError);
}

}  // namespace
}  // namespace kernbench::tl
