#include "kernbench/base/combine.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace kernbench::base {
namespace {

template <typename T>
std::vector<std::byte> bytes_of(std::vector<T> values) {
  std::vector<std::byte> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

template <typename T>
std::vector<T> values_of(const std::vector<std::byte>& bytes) {
  std::vector<T> out(bytes.size() / sizeof(T));
  std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

TEST(Combine, IntegerOps) {
  EXPECT_EQ(combine(CombineOp::sum, 3, 4), 7);
  EXPECT_EQ(combine(CombineOp::prod, -3, 4), -12);
  EXPECT_EQ(combine(CombineOp::max, -3, 4), 4);
  EXPECT_EQ(combine(CombineOp::min, -3, 4), -3);
}

TEST(Combine, IntegersWrapOnOverflow) {
  EXPECT_EQ(combine<std::int8_t>(CombineOp::sum, 127, 1), -128);
  EXPECT_EQ(combine<std::int32_t>(CombineOp::sum, std::numeric_limits<std::int32_t>::max(), 1),
            std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(combine<std::uint8_t>(CombineOp::prod, 16, 16), 0);
  EXPECT_EQ(combine<std::int64_t>(CombineOp::prod, std::numeric_limits<std::int64_t>::min(), -1),
            std::numeric_limits<std::int64_t>::min());
}

TEST(Combine, MaxAndMinPropagateNan) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::isnan(combine(CombineOp::max, nan, 1.0f)));
  EXPECT_TRUE(std::isnan(combine(CombineOp::max, 1.0f, nan)));
  EXPECT_TRUE(std::isnan(combine(CombineOp::min, 1.0f, nan)));
  EXPECT_EQ(combine(CombineOp::max, -0.5, 2.0), 2.0);
}

TEST(Combine, BoolIsOrAndAnd) {
  EXPECT_TRUE(combine(CombineOp::sum, true, false));
  EXPECT_FALSE(combine(CombineOp::prod, true, false));
  EXPECT_TRUE(combine(CombineOp::max, false, true));
  EXPECT_FALSE(combine(CombineOp::min, false, true));
}

TEST(Combine, IntoBuffersOfEveryWidth) {
  auto acc = bytes_of<std::int32_t>({1, -2, 3});
  combine_into(DType::i32, CombineOp::sum, acc, bytes_of<std::int32_t>({10, 20, -30}));
  EXPECT_EQ(values_of<std::int32_t>(acc), (std::vector<std::int32_t>{11, 18, -27}));

  auto accd = bytes_of<double>({1.5, 2.0});
  combine_into(DType::f64, CombineOp::prod, accd, bytes_of<double>({2.0, -0.25}));
  EXPECT_EQ(values_of<double>(accd), (std::vector<double>{3.0, -0.5}));

  auto accb = bytes_of<std::uint8_t>({0, 1, 7});  // any nonzero byte is true
  combine_into(DType::boolean, CombineOp::min, accb, bytes_of<std::uint8_t>({1, 1, 2}));
  EXPECT_EQ(values_of<std::uint8_t>(accb), (std::vector<std::uint8_t>{0, 1, 1}));
}

TEST(Combine, HalfTypesRoundOnceFromF32) {
  // 1 + 2^-11 is not an f16: 1 + (1 + 2^-11) = 2 + 2^-11 rounds to even = 2.
  auto acc = bytes_of<std::uint16_t>({f32_to_f16_bits(1.0f)});
  combine_into(DType::f16, CombineOp::sum, acc, bytes_of<std::uint16_t>({f32_to_f16_bits(1.0f)}));
  EXPECT_EQ(f16_bits_to_f32(values_of<std::uint16_t>(acc)[0]), 2.0f);

  auto accb = bytes_of<std::uint16_t>({f32_to_bf16_bits(3.0f)});
  combine_into(DType::bf16, CombineOp::max, accb,
               bytes_of<std::uint16_t>({f32_to_bf16_bits(-7.0f)}));
  EXPECT_EQ(bf16_bits_to_f32(values_of<std::uint16_t>(accb)[0]), 3.0f);
}

TEST(Combine, NamesRoundTrip) {
  for (CombineOp op : {CombineOp::sum, CombineOp::prod, CombineOp::max, CombineOp::min})
    EXPECT_EQ(parse_combine_op(name(op)), op);
  EXPECT_EQ(parse_combine_op("avg"), std::nullopt);
}

}  // namespace
}  // namespace kernbench::base
