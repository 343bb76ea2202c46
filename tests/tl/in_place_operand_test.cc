// The fast paths of the element-wise ops read their operands in place (tiles of the op's dtype and
// of one shape, weak numbers as splats). They must give the general path's results to the bit,
// with its dtypes, charges and TCM peak. The general path is forced by a broadcast (an operand
// viewed as [1, N]) or by a weak number written as a rank-0 tile of the op's dtype.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tl_test_support.h"

namespace kernbench::tl {
namespace {

constexpr std::int64_t kN = 16;
const Shape kRow{1, kN};

std::vector<std::byte> bytes_of(const Tile& t) {
  std::vector<std::byte> b(static_cast<std::size_t>(t.numel()) * t.element_bytes());
  std::memcpy(b.data(), t.data(), b.size());
  return b;
}

// kN values of `dtype` with its edge cases: signed zeros, NaN, infinities, extremes, zero divisors.
Tile values(DType dtype, int rotate) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> f{0.0,  -0.0,  1.5, -2.25, 3.0, std::nan(""), inf, -inf,
                        1e-3, 65504, 7,   -7,    0.1, 1e30,         -3,  2};
  std::vector<std::int64_t> i{0, 1, -1, 7, -7, 127, -128, 3, 2, -2, 100, -100, 5, 64, -3, 31};
  std::rotate(f.begin(), f.begin() + rotate, f.end());
  std::rotate(i.begin(), i.begin() + rotate, i.end());
  return base::is_floating(dtype) ? Tile::from_doubles(Shape{kN}, dtype, f)
                                  : Tile::from_ints(Shape{kN}, dtype, i);
}

// A weak number of the tile's kind (so the op's dtype is the tile's), as an operand and as the
// same number typed as a rank-0 tile of `dtype`.
Operand weak_of(DType dtype) {
  if (dtype == DType::boolean) return Operand(true);
  if (base::is_floating(dtype)) return Operand(2.5);
  return Operand(3);
}

// Runs both forms; when the fast one throws, the general one must throw too.
template <class Fast, class General>
void expect_same(Fast fast, General general, const std::string& what) {
  Tile a, b;
  try {
    a = fast();
  } catch (const std::exception&) {
    EXPECT_ANY_THROW(general()) << what;
    return;
  }
  b = general();
  EXPECT_EQ(a.dtype(), b.dtype()) << what;
  EXPECT_EQ(a.numel(), b.numel()) << what;
  EXPECT_EQ(bytes_of(a), bytes_of(b)) << what;
}

constexpr int kOps = static_cast<int>(BinaryOp::maximum_nan) + 1;

TEST(InPlaceOperand, SameShapeTilesGiveTheBroadcastPathsBitsForEveryOpAndDtype) {
  for (const DType dtype : base::kAllDTypes) {
    const Tile a = values(dtype, 0), b = values(dtype, 5);
    for (int k = 0; k < kOps; ++k) {
      const auto op = static_cast<BinaryOp>(k);
      expect_same([&] { return binary(op, a, b); }, [&] { return binary(op, a, b.reshaped(kRow)); },
                  fmt::format("{} {}", base::name(dtype), k));
    }
  }
}

TEST(InPlaceOperand, WeakNumbersGiveTheRankZeroTilePathsBitsOnEitherSide) {
  for (const DType dtype : base::kAllDTypes) {
    const Tile a = values(dtype, 3);
    const Operand w = weak_of(dtype);
    const Tile typed = full(Shape{}, w.weak(), dtype);
    for (int k = 0; k < kOps; ++k) {
      const auto op = static_cast<BinaryOp>(k);
      const std::string what = fmt::format("{} {}", base::name(dtype), k);
      expect_same([&] { return binary(op, a, w); }, [&] { return binary(op, a, typed); }, what);
      expect_same([&] { return binary(op, w, a); }, [&] { return binary(op, typed, a); }, what);
    }
  }
}

TEST(InPlaceOperand, MixedDtypesAndBroadcastsStillPromoteAndBroadcast) {
  // Not in place (a cast or a broadcast is needed): the general path's Triton results.
  const Tile i = testing::imake(DType::i32, {1, 2, 3, 4});
  const Tile h = testing::make(DType::f16, {0.5, 0.5, 0.5, 0.5});
  EXPECT_EQ((i + h).dtype(), DType::f16);
  EXPECT_EQ((i + h).values(), (std::vector<double>{1.5, 2.5, 3.5, 4.5}));
  const Tile col = i.col(), row = i.row();
  EXPECT_EQ((col * row).shape(), (Shape{4, 4}));
  EXPECT_EQ((col * row).int_value(7), 8);    // row 1, column 3: 2 * 4
  EXPECT_EQ((i + 2.5).dtype(), DType::f32);  // a float literal with an int tile
  EXPECT_EQ((i + 2.5).value(0), 3.5);
  EXPECT_EQ((h / 2).dtype(), DType::f32);  // f16 division computes in f32
}

TEST(InPlaceOperand, WhereGivesTheGeneralPathsBitsForEveryDtype) {
  const Tile c =
      Tile::from_ints(Shape{kN}, DType::boolean,
                      std::vector<std::int64_t>{1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1});
  const Tile c32 =
      Tile::from_ints(Shape{kN}, DType::i32,
                      std::vector<std::int64_t>{5, 0, 0, -1, 2, 9, 0, 0, 1, 0, 3, 0, 0, 0, 8, 7});
  for (const DType dtype : base::kAllDTypes) {
    const Tile a = values(dtype, 0), b = values(dtype, 9);
    const Operand w = weak_of(dtype);
    const Tile typed = full(Shape{}, w.weak(), dtype);
    const std::string what(base::name(dtype));
    expect_same([&] { return where(c, a, b); }, [&] { return where(c, a.reshaped(kRow), b); },
                what);
    expect_same([&] { return where(c32, a, b); }, [&] { return where(c, a, b.reshaped(kRow)); },
                what);
    expect_same([&] { return where(c, a, w); }, [&] { return where(c, a, typed); }, what);
    const Operand zero = dtype == DType::boolean ? Operand(false) : Operand(0);  // the masking form
    expect_same([&] { return where(c, a, zero); }, [&] { return where(c, a, zeros({}, dtype)); },
                what);
    expect_same([&] { return where(c, w, a); }, [&] { return where(c, typed, a); }, what);
  }
  expect_same(
      [&] { return where(c, 1.5, -2.0); },
      [&] { return where(c, full(Shape{}, 1.5, DType::f32), full(Shape{}, -2.0, DType::f32)); },
      "two literals");
}

// The charges and the TCM peak of a program running `body`.
ProgramStats stats_of(const std::function<void(Program&)>& body) {
  testing::Rig rig;
  rig.run(body, {});
  return rig.last_stats();
}

TEST(InPlaceOperand, ChargesAndTcmPeakDoNotDependOnThePath) {
  constexpr std::int64_t kLen = 1024;
  const ProgramStats fast = stats_of([](Program& p) {
    const Tile x = full({kLen}, 1.0, DType::f32).with_program(&p);
    const Tile c = x < x;
    const Tile y = (x + 1.0f) * x;
    (void)where(c, y, 0.0f);
  });
  const ProgramStats general = stats_of([](Program& p) {
    const Tile x = full({kLen}, 1.0, DType::f32).with_program(&p);
    const Tile row = x.reshaped(Shape{1, kLen});
    const Tile c = x < row;
    Tile y;
    {
      const Tile one = full(Shape{}, 1.0f, DType::f32).with_program(&p);
      y = (x + one) * row;
    }
    const Tile zero = full(Shape{}, 0.0f, DType::f32).with_program(&p);
    (void)where(c, y, zero);
  });
  EXPECT_EQ(fast.vector, general.vector);
  EXPECT_EQ(fast.tcm_peak_bytes, general.tcm_peak_bytes);
  EXPECT_EQ(fast.tcm_peak_bytes, 3 * kLen * 4 + 4 + kLen);  // x, y, x + 1, the literal, c
}

}  // namespace
}  // namespace kernbench::tl
