#include "kernbench/mem/virt_addr.h"

#include <gtest/gtest.h>

namespace kernbench::mem {
namespace {

using namespace base::literals;

TEST(VirtAddr, ArithmeticAndPrinting) {
  const VirtAddr va(0x40000000);
  EXPECT_EQ((va + 4_KiB).value(), 0x40001000u);
  EXPECT_EQ((va + 4_KiB) - va, 4_KiB);
  EXPECT_LT(va, va + 1_B);
  EXPECT_EQ(fmt::format("{}", va + 16_B), "va(0x40000010)");
  EXPECT_EQ(VirtAddr(), VirtAddr(0));
}

}  // namespace
}  // namespace kernbench::mem
