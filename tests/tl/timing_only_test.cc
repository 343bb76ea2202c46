// Timing-only kernels (--timing-only): loads make data-less tiles, ops on them are charged as in a
// checked run without computing, index and mask tiles are still computed, and a kernel whose
// control flow or addresses depend on loaded data fails naming the kernel and the op.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using D = std::vector<double>;

// A softmax over rows, a dot, a reduction, casts, where, fma and a masked block-pointer store:
// every op kind a bench uses.
void busy_kernel(Program& p) {
  const Tile cols = arange(0, 16);
  const Tile live = cols < 12;
  const Tile x = load(p.pointer(0) + cols, live, -INFINITY);
  const Tile e = exp(x - max(x, 0));
  const Tile soft = e / sum(e, 0);
  const Tile sq = reshape(where(live, soft, 0.0), {4, 4});
  const Tile prod = dot(sq.to(DType::f16), sq.T().to(DType::f16), zeros({4, 4}, DType::f32));
  const Tile mixed = fma(prod, 2.0, abs(prod)) + cumsum(prod, 1);
  store(p.pointer(1) + cols, ravel(mixed), live);
  BlockPtr out = make_block_ptr(p.pointer(1), {4, 4}, {4, 1}, {0, 0}, {4, 4}, {1, 0});
  store(out, mixed.to(DType::f32), {0, 1});
}

struct Outcome {
  ProgramStats stats;
  WorkTally work;
  D out;
};

Outcome run_busy(bool timing_only) {
  testing::Rig rig;
  rig.set_timing_only(timing_only);
  D in(16);
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = 0.25 * static_cast<double>(i);
  const auto x = rig.tensor(DType::f32, in);
  const auto y = rig.tensor(DType::f32, D(16, 7.0));
  rig.run(busy_kernel, {x, y});
  return {rig.last_stats(), rig.last_work(), rig.read(y)};
}

TEST(TimingOnly, ChargesAndTimesEqualTheCheckedRunAndNoByteIsWritten) {
  const Outcome checked = run_busy(false);
  const Outcome timed = run_busy(true);
  EXPECT_EQ(timed.stats, checked.stats);
  EXPECT_EQ(timed.work.vector_elements, checked.work.vector_elements);
  EXPECT_EQ(timed.work.transcendental_elements, checked.work.transcendental_elements);
  EXPECT_EQ(timed.work.matrix_macs, checked.work.matrix_macs);
  EXPECT_EQ(timed.work.dma_read_bytes, checked.work.dma_read_bytes);
  EXPECT_EQ(timed.work.dma_write_bytes, checked.work.dma_write_bytes);
  EXPECT_EQ(timed.work.dma_runs, checked.work.dma_runs);
  EXPECT_NE(checked.out, D(16, 7.0));  // the checked run stored its results
  EXPECT_EQ(timed.out, D(16, 7.0));    // the timing-only run stored none
}

TEST(TimingOnly, LoadedTilesHaveNoDataWhileIndexAndMaskTilesDo) {
  testing::Rig rig;
  rig.set_timing_only(true);
  const auto x = rig.tensor(DType::f32, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        const Tile offs = p.program_id(0) * 4 + arange(0, 4);
        const Tile live = offs < 3;
        const Tile v = load(p.pointer(0) + offs, live, 0.0);
        EXPECT_TRUE(offs.has_data());
        EXPECT_TRUE(live.has_data());
        EXPECT_EQ(live.int_values(), (std::vector<std::int64_t>{1, 1, 1, 0}));
        EXPECT_FALSE(v.has_data());
        EXPECT_EQ(v.shape(), Shape{4});
        EXPECT_EQ(v.dtype(), DType::f32);
        const Tile w = (v * 2 + 1).to(DType::f16);
        EXPECT_FALSE(w.has_data());
        EXPECT_EQ(w.dtype(), DType::f16);
        EXPECT_FALSE(sum(v, 0).has_data());
        EXPECT_FALSE(v.row().has_data());  // views keep the mark
      },
      {x});
}

// A data-less tile is counted in its program's TCM as any tile, and its elements read as zeros
// even where its buffer's block last held another tile's values (zeroed when first read).
TEST(TimingOnly, ADatalessTileCountsItsTcmAndReadsAsZeros) {
  testing::Rig rig;
  rig.set_timing_only(true);
  const auto x = rig.tensor(DType::f32, {1, 2, 3, 4});
  rig.run(
      [](Program& p) {
        (void)full({8, 8}, 3.0, DType::f32).with_program(&p);  // gives a dirty block back
        const std::uint64_t before = p.tcm_ledger()->live_bytes();
        const Tile t = Tile::dataless({8, 8}, DType::f32, &p);
        EXPECT_FALSE(t.has_data());
        EXPECT_EQ(p.tcm_ledger()->live_bytes(), before + 8 * 8 * 4);
        const auto* v = reinterpret_cast<const float*>(t.data());
        EXPECT_EQ(std::count(v, v + 64, 0.0f), 64);
        const Tile view = t.reshaped({64});
        EXPECT_FALSE(view.has_data());  // a view of it is data-less too
      },
      {x});
}

// The error of a kernel that needs the values it loaded: its kernel, its op and the way out.
template <class Body>
std::string needs_data_message(Body body) {
  testing::Rig rig;
  rig.set_timing_only(true);
  const auto x = rig.tensor(DType::i32, {0, 1, 2, 3});
  try {
    rig.run(body, {x}, {}, "lookup");
  } catch (const NeedsDataError& e) {
    return e.what();
  }
  return "no error";
}

void expect_needs_data(const std::string& message, const std::string& op) {
  EXPECT_NE(message.find("kernel 'lookup'"), std::string::npos) << message;
  EXPECT_NE(message.find(": " + op + ": "), std::string::npos) << message;
  EXPECT_NE(message.find("needs data: run without --timing-only"), std::string::npos) << message;
}

TEST(TimingOnlyErrors, AValueReadWithItemNamesTheKernelAndTheOp) {
  expect_needs_data(needs_data_message([](Program& p) { (void)load(p.pointer(0)).item(); }),
                    "item");
}

TEST(TimingOnlyErrors, ABranchOnALoadedScalarFails) {
  expect_needs_data(needs_data_message([](Program& p) {
                      if (load(p.pointer(0)) > 0) (void)load(p.pointer(0) + 1);
                    }),
                    "if (a scalar used as a condition)");
}

TEST(TimingOnlyErrors, APointerOffsetComputedFromALoadFailsAtTheLoad) {
  expect_needs_data(needs_data_message([](Program& p) {
                      const Tile idx = load(p.pointer(0) + arange(0, 4));
                      (void)load(p.pointer(0) + idx);
                    }),
                    "load");
}

TEST(TimingOnlyErrors, AMaskComputedFromALoadFailsAtTheStore) {
  expect_needs_data(needs_data_message([](Program& p) {
                      const Tile v = load(p.pointer(0) + arange(0, 4));
                      store(p.pointer(0) + arange(0, 4), v, v > 1);
                    }),
                    "store");
}

TEST(TimingOnlyErrors, ALockTakenWithAnAtomicFails) {
  expect_needs_data(needs_data_message([](Program& p) {
                      while (atomic_cas(p.pointer(0), 0, 1) != 0) {
                      }
                    }),
                    "if (a scalar used as a condition)");
}

}  // namespace
}  // namespace kernbench::tl
