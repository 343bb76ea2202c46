// Atomics: old values returned, lanes applied in row-major order, base::combine's arithmetic,
// masks, cas/xchg, no lost updates between PEs, the round-trip time, and the bad inputs.
#include <algorithm>
#include <tuple>

#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

using testing::imake;
using testing::make;
using D = std::vector<double>;

TEST(Atomics, AddReturnsOldValuesAndRepeatedAddressesAccumulateInLaneOrder) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::i32, {10, 20});
  rig.run(
      [](Program& p) {
        const Tile old = atomic_add(p.pointer(0) + imake(DType::i32, {0, 0, 1, 0}),
                                    imake(DType::i32, {1, 2, 3, 4}));
        EXPECT_EQ(old.dtype(), DType::i32);
        EXPECT_EQ(old.int_values(), (std::vector<std::int64_t>{10, 11, 20, 13}));
      },
      {t});
  EXPECT_EQ(rig.read(t), (D{17, 23}));
}

TEST(Atomics, MaskedLanesAreNeitherTouchedNorChecked) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, 2});
  rig.run(
      [](Program& p) {
        const Tile offs = arange(0, 4) * 100000;  // lanes 1..3 far outside the mapping
        const Tile old = atomic_add(p.pointer(0) + offs, 0.5, offs == 0);
        EXPECT_EQ(old.value(0), 1.0);
      },
      {t});
  EXPECT_EQ(rig.read(t), (D{1.5, 2}));
}

TEST(Atomics, MaxAndMinUseBaseCombineSoNanPropagates) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f32, {1, NAN, 5});
  const auto u = rig.tensor(DType::i64, {-3, 7});
  rig.run(
      [](Program& p) {
        (void)atomic_max(p.pointer(0) + arange(0, 2), make(DType::f32, {2, 0}));
        (void)atomic_min(p.pointer(0) + 2, NAN);
        (void)atomic_min(p.pointer(1) + arange(0, 2), -5);
      },
      {t, u});
  const D f = rig.read(t);
  EXPECT_EQ(f[0], 2.0);
  EXPECT_TRUE(std::isnan(f[1]));
  EXPECT_TRUE(std::isnan(f[2]));
  EXPECT_EQ(rig.read(u), (D{-5, -5}));
}

TEST(Atomics, F16AddRoundsOnceToNearestEven) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::f16, {2048});  // f16 spacing at 2048 is 2
  rig.run([](Program& p) { (void)atomic_add(p.pointer(0), 1.0); }, {t});  // tie: to even 2048
  EXPECT_EQ(rig.read(t), (D{2048}));
}

TEST(Atomics, CasWritesOnlyWhereTheOldBitsMatchAndXchgAlways) {
  testing::Rig rig;
  const auto t = rig.tensor(DType::i32, {0, 1, 0});
  const auto x = rig.tensor(DType::f32, {3, 4});
  rig.run(
      [](Program& p) {
        const Tile old = atomic_cas(p.pointer(0) + arange(0, 4) % 3, 0, 9);
        // lanes 0, 1, 2 see 0, 1, 0; lane 3 revisits address 0, now 9
        EXPECT_EQ(old.int_values(), (std::vector<std::int64_t>{0, 1, 0, 9}));
        EXPECT_EQ(atomic_xchg(p.pointer(1) + arange(0, 2), 7.0).values(), (D{3, 4}));
      },
      {t, x});
  EXPECT_EQ(rig.read(t), (D{9, 1, 9}));
  EXPECT_EQ(rig.read(x), (D{7, 7}));
}

// Four programs on each of two PEs add into one counter and one histogram at overlapping times:
// no update is lost, whatever the interleaving.
TEST(Atomics, ProgramsOnTwoPesLoseNoUpdates) {
  testing::Rig rig;
  const auto counter = rig.tensor(DType::i32, {0});
  const auto hist = rig.tensor(DType::f32, D(4, 0.0));
  rig.share(counter, {0, 0, 1});
  rig.share(hist, {0, 0, 1});
  rig.run_on(
      {{0, 0, 0}, {0, 0, 1}},
      [](Program& p) {
        (void)atomic_add(p.pointer(0), 1);
        (void)atomic_add(p.pointer(1) + arange(0, 8) % 4, 0.25);
      },
      {counter, hist}, rt::Grid{4});
  EXPECT_EQ(rig.read(counter), (D{8}));
  EXPECT_EQ(rig.read(hist), (D{4, 4, 4, 4}));
}

// One chunk of operands goes out to the memory, the old values come back: the translation plus
// both idle transfers (tests/hw's closed form from the channels' spec figures).
TEST(AtomicsAnalytic, AnAtomicIsARoundTripToTheMemory) {
  testing::Rig rig;
  const auto& spec = rig.system().spec();
  const base::Bytes chunk = spec.cube.pe.dma.chunk_size;
  const std::int64_t n = static_cast<std::int64_t>(chunk.count() / 4);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n), 1.0));
  base::SimTime took;
  rig.run(
      [&](Program& p) {
        const Tile ptr = p.pointer(0) + arange(0, n);
        const base::SimTime t0 = p.context().process().now();
        (void)atomic_add(ptr, 1.0).data();
        took = p.context().process().now() - t0;
      },
      {t});
  const auto memory = hw::Location::memory(rig.pe().mmu().page_table().translate(t.va).pa.memory());
  const auto tcm = hw::Location::memory(mem::MemoryId::tcm({0, 0, 0}));
  const auto& fabric = rig.system().fabric();
  EXPECT_EQ(took, spec.cube.pe.mmu.tlb_miss_latency +
                      hw::testing::idle_transfer_time(fabric.route(tcm, memory), chunk, 1) +
                      hw::testing::idle_transfer_time(fabric.route(memory, tcm), chunk, 1));
  EXPECT_EQ(rig.read(t), D(static_cast<std::size_t>(n), 2.0));
}

TEST(AtomicsErrors, EachOpTakesExactlyTheDtypesTritonsTypeChecksAccept) {
  // Triton 3.3 (TRITON.md §2.8): cas any 16/32/64-bit element; the others reject bool, i8, i16
  // and bf16, take f16 only for add, and floats for max / min only as f32 / f64.
  using V = std::vector<DType>;
  const V add{DType::f16, DType::f32, DType::f64, DType::i32,
              DType::i64, DType::u8,  DType::u16, DType::u32};
  const V other{DType::f32, DType::f64, DType::i32, DType::i64, DType::u8, DType::u16, DType::u32};
  const V cas{DType::f16, DType::bf16, DType::f32, DType::f64, DType::i16,
              DType::i32, DType::i64,  DType::u16, DType::u32};
  using Op = Tile (*)(const Tile&, const Operand&);
  const std::vector<std::tuple<const char*, Op, V>> ops{{"atomic_add", &atomic_add, add},
                                                        {"atomic_max", &atomic_max, other},
                                                        {"atomic_min", &atomic_min, other},
                                                        {"atomic_xchg", &atomic_xchg, other}};
  testing::Rig rig;
  std::vector<rt::KernelArg> args;
  for (const DType d : base::kAllDTypes) args.emplace_back(rig.tensor(d, {0, 1}));
  rig.run(
      [&](Program& p) {
        for (std::size_t i = 0; i < base::kAllDTypes.size(); ++i) {
          const DType d = base::kAllDTypes[i];
          const bool cas_ok = std::ranges::find(cas, d) != cas.end();
          if (cas_ok) {
            EXPECT_EQ(atomic_cas(p.pointer(i), 0, 1).dtype(), d);
          } else {
            EXPECT_THROW((void)atomic_cas(p.pointer(i), 0, 1), SemanticError) << base::name(d);
          }
          for (const auto& [name, op, ok] : ops) {
            if (std::ranges::find(ok, d) != ok.end()) {
              EXPECT_EQ(op(p.pointer(i) + 1, 1).dtype(), d) << name << " " << base::name(d);
            } else {
              EXPECT_THROW((void)op(p.pointer(i) + 1, 1), SemanticError)
                  << name << " " << base::name(d);
            }
          }
        }
      },
      args);
}

TEST(AtomicsErrors, UnsupportedDtypesAndShapesNameTheOp) {
  testing::Rig rig;
  const auto b = rig.tensor(DType::boolean, {0, 1});
  const auto h = rig.tensor(DType::i16, {0, 1});
  const auto f = rig.tensor(DType::f16, {0, 1});
  rig.run(
      [](Program& p) {
        try {
          (void)atomic_add(p.pointer(0), true);
          FAIL();
        } catch (const SemanticError& e) {
          EXPECT_STREQ(e.what(),
                       "atomic_add: pointee dtype bool is not supported (takes f16, f32, f64, "
                       "i32, i64, u8, u16, u32, as Triton)");
        }
        try {
          (void)atomic_max(p.pointer(2), 1.0);
          FAIL();
        } catch (const SemanticError& e) {
          EXPECT_STREQ(e.what(),
                       "atomic_max: pointee dtype f16 is not supported (takes f32, f64, i32, i64, "
                       "u8, u16, u32, as Triton)");
        }
        EXPECT_THROW((void)atomic_max(p.pointer(1), 1), SemanticError);
        EXPECT_EQ(atomic_cas(p.pointer(1), 0, 5).item(), 0);  // cas takes any 16-bit element
        EXPECT_THROW((void)atomic_cas(p.pointer(0), false, true), SemanticError);
        EXPECT_THROW((void)atomic_xchg(p.pointer(1), 5), SemanticError);
        EXPECT_THROW((void)atomic_cas(p.pointer(1) + arange(0, 2), 0, arange(0, 4)),
                     base::ShapeError);
        EXPECT_THROW((void)atomic_add(arange(0, 2), 1), SemanticError);
      },
      {b, h, f});
}

}  // namespace
}  // namespace kernbench::tl
