#include "kernbench/base/dtype.h"

#include <bit>
#include <cmath>
#include <random>

#include <Eigen/Core>
#include <gtest/gtest.h>

namespace kernbench::base {
namespace {

// Eigen's half and bfloat16 are the reference: both round to nearest, ties to even.
float eigen_f16_to_f32(std::uint16_t bits) {
  return static_cast<float>(Eigen::numext::bit_cast<Eigen::half>(bits));
}
std::uint16_t eigen_f32_to_f16(float f) {
  return Eigen::numext::bit_cast<std::uint16_t>(Eigen::half(f));
}
float eigen_bf16_to_f32(std::uint16_t bits) {
  return static_cast<float>(Eigen::numext::bit_cast<Eigen::bfloat16>(bits));
}
std::uint16_t eigen_f32_to_bf16(float f) {
  return Eigen::numext::bit_cast<std::uint16_t>(Eigen::bfloat16(f));
}

bool same_value(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

TEST(DType, SizesAndNames) {
  EXPECT_EQ(size_bytes(DType::f16), 2u);
  EXPECT_EQ(size_bytes(DType::bf16), 2u);
  EXPECT_EQ(size_bytes(DType::f64), 8u);
  EXPECT_EQ(size_bytes(DType::u32), 4u);
  EXPECT_EQ(size_bytes(DType::boolean), 1u);
  for (DType t : kAllDTypes) {
    EXPECT_EQ(parse_dtype(name(t)), t);
    EXPECT_GT(size_bytes(t), 0u);
  }
  EXPECT_EQ(name(DType::boolean), "bool");
  EXPECT_EQ(parse_dtype("bfloat16"), DType::bf16);
  EXPECT_EQ(parse_dtype("f128"), std::nullopt);
  EXPECT_EQ(fmt::format("{}", DType::i8), "i8");
}

// Every one of the 65536 f16 bit patterns decodes like the reference, and re-encodes to itself.
TEST(DType, F16AllBitPatternsAgainstReference) {
  for (std::uint32_t b = 0; b <= 0xffff; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const float f = f16_bits_to_f32(bits);
    ASSERT_TRUE(same_value(f, eigen_f16_to_f32(bits))) << std::hex << b;
    if (!std::isnan(f))
      ASSERT_EQ(f32_to_f16_bits(f), bits) << std::hex << b;
    else
      ASSERT_TRUE(std::isnan(f16_bits_to_f32(f32_to_f16_bits(f))));
  }
}

// The midpoint between every pair of neighbouring finite f16 values must round to the even one.
TEST(DType, F16MidpointsRoundToEven) {
  for (std::uint32_t b = 0; b < 0x7bff; ++b) {
    const float lo = f16_bits_to_f32(static_cast<std::uint16_t>(b));
    const float hi = f16_bits_to_f32(static_cast<std::uint16_t>(b + 1));
    const float mid = (lo + hi) / 2;  // exact: needs 12 significant bits
    const auto even = static_cast<std::uint16_t>((b & 1) ? b + 1 : b);
    ASSERT_EQ(f32_to_f16_bits(mid), even) << std::hex << b;
    ASSERT_EQ(f32_to_f16_bits(-mid), even | 0x8000) << std::hex << b;
    ASSERT_EQ(f32_to_f16_bits(mid), eigen_f32_to_f16(mid)) << std::hex << b;
  }
  EXPECT_EQ(f32_to_f16_bits(65519.0f), 0x7bff);               // just below the overflow midpoint
  EXPECT_EQ(f32_to_f16_bits(65520.0f), 0x7c00);               // the midpoint ties to even: infinity
  EXPECT_EQ(f32_to_f16_bits(std::ldexp(1.0f, -25)), 0x0000);  // half the smallest subnormal
  EXPECT_EQ(f32_to_f16_bits(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), 0x0001);
}

TEST(DType, Bf16AllBitPatternsAgainstReference) {
  for (std::uint32_t b = 0; b <= 0xffff; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    const float f = bf16_bits_to_f32(bits);
    ASSERT_TRUE(same_value(f, eigen_bf16_to_f32(bits))) << std::hex << b;
    if (!std::isnan(f))
      ASSERT_EQ(f32_to_bf16_bits(f), bits) << std::hex << b;
    else
      ASSERT_TRUE(std::isnan(bf16_bits_to_f32(f32_to_bf16_bits(f))));
  }
}

TEST(DType, Bf16MidpointsRoundToEven) {
  for (std::uint32_t b = 0; b < 0x7f7f; ++b) {
    const std::uint32_t mid_bits = (b << 16) | 0x8000u;  // exactly halfway to b + 1
    const auto even = static_cast<std::uint16_t>((b & 1) ? b + 1 : b);
    ASSERT_EQ(f32_to_bf16_bits(std::bit_cast<float>(mid_bits)), even) << std::hex << b;
  }
}

// Random f32 values (all exponents) round exactly as the reference does.
TEST(DType, RandomFloatsMatchReference) {
  std::mt19937 rng(42);
  for (int i = 0; i < 1'000'000; ++i) {
    const float f = std::bit_cast<float>(static_cast<std::uint32_t>(rng()));
    if (std::isnan(f)) continue;
    ASSERT_EQ(f32_to_f16_bits(f), eigen_f32_to_f16(f)) << f;
    ASSERT_EQ(f32_to_bf16_bits(f), eigen_f32_to_bf16(f)) << f;
  }
}

}  // namespace
}  // namespace kernbench::base
