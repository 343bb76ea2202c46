#include "kernbench/mem/virtual_allocator.h"

#include <gtest/gtest.h>

#include "test_topology.h"

#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

TEST(VirtualAllocator, DefaultSpaceCoversTheWholeSystemMemory) {
  const auto spec = testing::multi_sip_spec();
  // Per cube 48 GiB HBM + 32 MiB SRAM + 8 x 16 MiB TCM; 4 SIPs x 16 cubes.
  EXPECT_EQ(system_memory_size(spec), (48_GiB + 32_MiB + 128_MiB) * 64);
  VirtualAllocator va = VirtualAllocator::for_system(spec);
  EXPECT_EQ(va.base(), VirtAddr(kDefaultVirtualBase.count()));
  EXPECT_EQ(va.size(), system_memory_size(spec));
  EXPECT_EQ(va.page_size(), 4_KiB);
  // Every HBM byte of the system can be given a VA at once.
  for (int cube = 0; cube < spec.total_cubes(); ++cube) va.allocate(48_GiB);
}

TEST(VirtualAllocator, RoundsToPagesAndReusesAfterFree) {
  VirtualAllocator va = VirtualAllocator::for_system(testing::ahbm_spec());
  const VirtAddr a = va.allocate(1_B);
  const VirtAddr b = va.allocate(5_KiB);
  const VirtAddr c = va.allocate(4_KiB);
  EXPECT_EQ(a, va.base());
  EXPECT_EQ(b, a + 4_KiB);  // 1 B took a whole page
  EXPECT_EQ(c, b + 8_KiB);  // 5 KiB took two
  va.free(b);
  EXPECT_EQ(va.allocate(8_KiB), b);
  EXPECT_EQ(va.free_bytes(), va.size() - 16_KiB);
}

TEST(VirtualAllocator, HonoursLargerAlignments) {
  VirtualAllocator va = VirtualAllocator::for_system(testing::ahbm_spec());
  va.allocate(4_KiB);
  const VirtAddr big = va.allocate(1_MiB, 2_MiB);
  EXPECT_EQ(big.value() % (2_MiB).count(), 0u);
}

TEST(VirtualAllocatorErrors, ExhaustionAndBadFree) {
  VirtualAllocator va(4_KiB, VirtAddr(0x10000), 64_KiB);
  const VirtAddr a = va.allocate(32_KiB);
  try {
    va.allocate(40_KiB);
    FAIL();
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "out of memory: virtual address space [va(0x10000), va(0x20000)): asked "
                 "40 KiB, free 32 KiB, largest free block 32 KiB");
  }
  try {
    va.free(a + 4_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(), "free of va(0x11000): no allocated virtual range starts there");
  }
  EXPECT_THROW(va.free(VirtAddr(0)), base::AddressError);
  va.free(a);
  EXPECT_THROW(va.free(a), base::AddressError);
}

}  // namespace
}  // namespace kernbench::mem
