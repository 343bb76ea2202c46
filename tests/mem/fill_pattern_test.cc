#include "kernbench/mem/fill_pattern.h"

#include <cstring>

#include <gtest/gtest.h>

namespace kernbench::mem {
namespace {

TEST(FillPattern, RepeatsTheBytesOfAValue) {
  const FillPattern one = FillPattern::of(1.0f);
  EXPECT_EQ(one.width(), 4u);
  float f = 0;
  std::byte bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = one.at(static_cast<std::uint64_t>(i + 8));  // phase 0
  std::memcpy(&f, bytes, 4);
  EXPECT_EQ(f, 1.0f);
  EXPECT_FALSE(one.is_zero());
}

TEST(FillPattern, WidthsAndZero) {
  EXPECT_EQ(FillPattern::of(std::uint8_t{7}).width(), 1u);
  EXPECT_EQ(FillPattern::of(std::uint16_t{7}).width(), 2u);
  EXPECT_EQ(FillPattern::of(2.5).width(), 8u);
  EXPECT_TRUE(FillPattern().is_zero());
  EXPECT_TRUE(FillPattern::of(0.0).is_zero());
  EXPECT_FALSE(FillPattern::of(-0.0).is_zero());  // the sign bit is a byte like any other
  const std::byte raw[2] = {std::byte{0xab}, std::byte{0xcd}};
  const FillPattern p = FillPattern::of_bytes(raw, 2);
  EXPECT_EQ(p.at(0), std::byte{0xab});
  EXPECT_EQ(p.at(3), std::byte{0xcd});
  EXPECT_EQ(p, FillPattern::of_bytes(raw, 2));
}

}  // namespace
}  // namespace kernbench::mem
