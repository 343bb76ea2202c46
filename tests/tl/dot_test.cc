// dot's fast multiply (operand panels widened once, a register-blocked kernel, i8 summed exactly
// in f32 runs) gives the plain k-ordered loop's result to the bit, for every input dtype, ragged
// shapes, batches, accumulators and i32 wrap-around.
#include <bit>
#include <cstring>

#include <gtest/gtest.h>

#include "tl_test_support.h"

#include "kernbench/tl/detail/widen.h"

namespace kernbench::tl {
namespace {

TEST(DotWiden, F16AndBf16WidenLikeBaseForEveryEncoding) {
  for (std::uint32_t h = 0; h <= 0xffffu; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    ASSERT_EQ(std::bit_cast<std::uint32_t>(detail::f16_to_f32(bits)),
              std::bit_cast<std::uint32_t>(base::f16_bits_to_f32(bits)))
        << std::hex << h;
    float bf = 0;
    detail::bf16_to_f32(&bits, 1, &bf);
    ASSERT_EQ(std::bit_cast<std::uint32_t>(bf),
              std::bit_cast<std::uint32_t>(base::bf16_bits_to_f32(bits)))
        << std::hex << h;
  }
}

// Deterministic values of mixed sign and magnitude, so a changed summation order would show.
std::vector<double> values(std::int64_t n, std::uint32_t seed, bool integers) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::uint32_t x = seed;
  for (double& e : v) {
    x = x * 1664525u + 1013904223u;
    const int r = static_cast<int>(x >> 8);
    e = integers
            ? static_cast<double>(r % 256 - 128)
            : static_cast<double>(r % 2001 - 1000) / 37.0 * std::ldexp(1.0, (r >> 12) % 12 - 6);
  }
  return v;
}

struct Case {
  std::int64_t batch, m, n, k;
};

// acc + a @ b by the definition: per element, products in k order, each rounded then added.
std::vector<float> reference(const Tile& a, const Tile& b, const std::vector<float>& acc, Case s) {
  const std::vector<double> av = a.values(), bv = b.values();
  std::vector<float> c = acc;
  for (std::int64_t z = 0; z < s.batch; ++z)
    for (std::int64_t i = 0; i < s.m; ++i)
      for (std::int64_t j = 0; j < s.n; ++j) {
        float sum = c[static_cast<std::size_t>((z * s.m + i) * s.n + j)];
        for (std::int64_t p = 0; p < s.k; ++p) {
          const auto x = static_cast<float>(av[static_cast<std::size_t>((z * s.m + i) * s.k + p)]);
          const auto y = static_cast<float>(bv[static_cast<std::size_t>((z * s.k + p) * s.n + j)]);
          const float product = x * y;
          sum += product;
        }
        c[static_cast<std::size_t>((z * s.m + i) * s.n + j)] = sum;
      }
  return c;
}

Shape shape_of(Case s, std::int64_t rows, std::int64_t cols) {
  return s.batch == 1 ? Shape{rows, cols} : Shape{s.batch, rows, cols};
}

// Rows: blocks of 4 and the rest one by one; columns: blocks of 16, one of 8, one of 4, then
// element by element -- the cases reach every path (29 = 16 + 8 + 4 + 1).
const std::vector<Case> kCases{{1, 1, 1, 1}, {1, 5, 17, 3},    {1, 37, 53, 29}, {1, 6, 29, 13},
                               {1, 8, 8, 5}, {1, 64, 48, 130}, {3, 9, 20, 11},  {2, 4, 16, 8}};

TEST(Dot, FloatInputsMatchTheKOrderedLoopToTheBit) {
  for (const DType dtype : {DType::f32, DType::f16, DType::bf16})
    for (const Case& s : kCases)
      for (const bool with_acc : {false, true}) {
        const Tile a =
            Tile::from_doubles(shape_of(s, s.m, s.k), dtype, values(s.batch * s.m * s.k, 1, false));
        const Tile b =
            Tile::from_doubles(shape_of(s, s.k, s.n), dtype, values(s.batch * s.k * s.n, 2, false));
        const std::vector<double> accv = values(s.batch * s.m * s.n, 3, false);
        std::vector<float> acc(accv.size(), 0.0f);
        std::optional<Tile> acc_tile;
        if (with_acc) {
          acc_tile = Tile::from_doubles(shape_of(s, s.m, s.n), DType::f32, accv);
          for (std::size_t i = 0; i < acc.size(); ++i) acc[i] = static_cast<float>(accv[i]);
        }
        const std::vector<float> want = reference(a, b, acc, s);
        const Tile got = dot(a, b, acc_tile);
        ASSERT_EQ(got.dtype(), DType::f32);
        std::vector<float> got_values(want.size());
        std::memcpy(got_values.data(), got.data(), want.size() * sizeof(float));
        for (std::size_t i = 0; i < want.size(); ++i)
          ASSERT_EQ(std::bit_cast<std::uint32_t>(got_values[i]),
                    std::bit_cast<std::uint32_t>(want[i]))
              << base::name(dtype) << " case " << s.batch << "x" << s.m << "x" << s.n << "x" << s.k
              << " element " << i;
      }
}

TEST(Dot, F16ResultIsTheF32SumRoundedOnce) {
  const Case s{1, 37, 53, 29};
  const Tile a = Tile::from_doubles(Shape{s.m, s.k}, DType::f16, values(s.m * s.k, 4, false));
  const Tile b = Tile::from_doubles(Shape{s.k, s.n}, DType::f16, values(s.k * s.n, 5, false));
  const Tile acc = Tile::from_doubles(Shape{s.m, s.n}, DType::f16, values(s.m * s.n, 6, false));
  std::vector<float> acc_f32;
  for (const double v : acc.values()) acc_f32.push_back(static_cast<float>(v));
  const std::vector<float> sum = reference(a, b, acc_f32, s);
  const Tile got = dot(a, b, acc, InputPrecision::ieee, DType::f16);
  ASSERT_EQ(got.dtype(), DType::f16);
  const auto* bits = reinterpret_cast<const std::uint16_t*>(got.data());
  for (std::size_t i = 0; i < sum.size(); ++i)
    ASSERT_EQ(bits[i], base::f32_to_f16_bits(sum[i])) << i;
}

TEST(Dot, I8SumsExactlyAndWrapsInI32) {
  // k = 2500 spans three exact f32 runs; all -128 makes every product the largest, 2^14.
  const Case s{1, 6, 19, 2500};
  const Tile a = Tile::from_doubles(Shape{s.m, s.k}, DType::i8,
                                    std::vector<double>(static_cast<std::size_t>(s.m * s.k), -128));
  Tile b = Tile::from_doubles(Shape{s.k, s.n}, DType::i8, values(s.k * s.n, 7, true));
  std::vector<std::int64_t> accv(static_cast<std::size_t>(s.m * s.n), 2147483000);  // near 2^31
  accv[0] = -2147483000;
  const Tile acc = Tile::from_ints(Shape{s.m, s.n}, DType::i32, accv);
  const Tile got = dot(a, b, acc);
  ASSERT_EQ(got.dtype(), DType::i32);
  const std::vector<std::int64_t> bv = b.int_values();
  bool wrapped = false;
  for (std::int64_t i = 0; i < s.m; ++i)
    for (std::int64_t j = 0; j < s.n; ++j) {
      auto sum = static_cast<std::uint32_t>(accv[static_cast<std::size_t>(i * s.n + j)]);
      std::int64_t exact = accv[static_cast<std::size_t>(i * s.n + j)];
      for (std::int64_t p = 0; p < s.k; ++p) {
        const std::int64_t product = -128 * bv[static_cast<std::size_t>(p * s.n + j)];
        sum += static_cast<std::uint32_t>(product);
        exact += product;
      }
      wrapped = wrapped || exact > 2147483647 || exact < -2147483648LL;
      ASSERT_EQ(got.int_value(i * s.n + j), static_cast<std::int32_t>(sum)) << i << ", " << j;
    }
  EXPECT_TRUE(wrapped);  // the case really exercises wrap-around
}

TEST(Dot, Tf32RoundsOperandsOnceBeforeTheSameLoop) {
  const Case s{1, 7, 18, 9};
  const Tile a = Tile::from_doubles(Shape{s.m, s.k}, DType::f32, values(s.m * s.k, 8, false));
  const Tile b = Tile::from_doubles(Shape{s.k, s.n}, DType::f32, values(s.k * s.n, 9, false));
  // The operands rounded to 10 mantissa bits by hand (nearest even), then the plain loop.
  const auto round = [](const Tile& t) {
    std::vector<double> v = t.values();
    for (double& e : v) {
      const int exponent = std::ilogb(e);
      const double unit = std::ldexp(1.0, exponent - 10);
      e = e == 0 ? 0 : std::nearbyint(e / unit) * unit;
    }
    return Tile::from_doubles(t.shape(), DType::f32, v);
  };
  const std::vector<float> want =
      reference(round(a), round(b), std::vector<float>(7 * 18, 0.0f), s);
  const Tile got = dot(a, b, {}, InputPrecision::tf32);
  for (std::size_t i = 0; i < want.size(); ++i)
    ASSERT_EQ(static_cast<float>(got.value(static_cast<std::int64_t>(i))), want[i]) << i;
}

}  // namespace
}  // namespace kernbench::tl
