#include "kernbench/mem/physical_allocator.h"

#include <gtest/gtest.h>

#include "test_topology.h"

#include "kernbench/base/error.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

// The slices `pe` allocates from, observed by exhausting them one by one.
std::vector<int> observed_home_slices(int hbm_slices, int pe) {
  PhysicalAllocator a(testing::ahbm_spec(1, hbm_slices));
  const base::Bytes slice = a.spec().cube.hbm.slice_size();
  std::vector<int> slices;
  try {
    for (;;) slices.push_back(a.allocate_hbm({0, 2, pe}, slice).index());
  } catch (const base::OutOfMemoryError&) {
  }
  return slices;
}

TEST(PhysicalAllocator, HomeSlicesOnePerPeAtEightToEight) {
  for (int pe = 0; pe < 8; ++pe) EXPECT_EQ(observed_home_slices(8, pe), std::vector<int>{pe});
}

TEST(PhysicalAllocator, HomeSlicesTwoPerPeAtSixteenToEight) {
  for (int pe = 0; pe < 8; ++pe)
    EXPECT_EQ(observed_home_slices(16, pe), (std::vector<int>{2 * pe, 2 * pe + 1}));
}

TEST(PhysicalAllocator, HomeSlicesSharedAtFourToEight) {
  for (int pe = 0; pe < 8; ++pe) EXPECT_EQ(observed_home_slices(4, pe), std::vector<int>{pe / 2});
  // Two PEs share a slice: what one takes, the other cannot.
  PhysicalAllocator a(testing::ahbm_spec(1, 4));
  const PhysAddr p2 = a.allocate_hbm({0, 0, 2}, 8_GiB);
  const PhysAddr p3 = a.allocate_hbm({0, 0, 3}, 4_GiB);
  EXPECT_EQ(p2.index(), 1);
  EXPECT_EQ(p3.index(), 1);
  EXPECT_EQ(p3.offset(), (8_GiB).count());
  EXPECT_THROW(a.allocate_hbm({0, 0, 2}, 1_B), base::OutOfMemoryError);
}

TEST(PhysicalAllocator, AddressesNameTheMemory) {
  PhysicalAllocator a(testing::multi_sip_spec());
  const PhysAddr h = a.allocate_hbm({3, 15, 6}, 1_MiB, 4_KiB);
  EXPECT_EQ(h.memory(), MemoryId::hbm_slice({3, 15}, 6));
  EXPECT_EQ(h.offset(), 0u);
  const PhysAddr t = a.allocate_tcm({2, 1, 7}, 1_KiB);
  EXPECT_EQ(t.memory(), MemoryId::tcm({2, 1, 7}));
  const PhysAddr s = a.allocate_sram({1, 4}, 1_KiB);
  EXPECT_EQ(s.memory(), MemoryId::sram({1, 4}));
  const PhysAddr x = a.allocate_hbm_slice({0, 0}, 5, 1_KiB);
  EXPECT_EQ(x.memory(), MemoryId::hbm_slice({0, 0}, 5));
  EXPECT_EQ(a.block_size(h), 1_MiB);
}

TEST(PhysicalAllocator, TcmCapacityExcludesTheReservedPart) {
  PhysicalAllocator a(testing::ahbm_spec());
  const MemoryId tcm = MemoryId::tcm({0, 3, 5});
  EXPECT_EQ(a.capacity(tcm), 12_MiB);
  EXPECT_EQ(a.free_bytes(tcm), 12_MiB);
  a.allocate_tcm({0, 3, 5}, 12_MiB);
  EXPECT_EQ(a.free_bytes(tcm), 0_B);
  EXPECT_THROW(a.allocate_tcm({0, 3, 5}, 1_B), base::OutOfMemoryError);
  EXPECT_EQ(a.capacity(MemoryId::sram({0, 0})), 32_MiB);
  EXPECT_EQ(a.capacity(MemoryId::hbm_slice({0, 0}, 0)), 6_GiB);
}

TEST(PhysicalAllocator, FreeAndAllocateAgainAtTheSameAddress) {
  PhysicalAllocator a(testing::ahbm_spec());
  const PhysAddr p = a.allocate_sram({0, 1}, 1_MiB);
  const PhysAddr q = a.allocate_sram({0, 1}, 1_MiB);
  const PhysAddr r = a.allocate_sram({0, 1}, 1_MiB);
  a.free(q);
  EXPECT_EQ(a.allocate_sram({0, 1}, 1_MiB), q);
  a.free(p);
  a.free(q);
  a.free(r);
  EXPECT_EQ(a.largest_free_block(MemoryId::sram({0, 1})), 32_MiB);
}

TEST(PhysicalAllocator, MemoriesAreIndependent) {
  PhysicalAllocator a(testing::ahbm_spec());
  a.allocate_tcm({0, 0, 0}, 12_MiB);
  EXPECT_NO_THROW(a.allocate_tcm({0, 0, 1}, 12_MiB));
  EXPECT_NO_THROW(a.allocate_tcm({0, 1, 0}, 12_MiB));
}

TEST(PhysicalAllocatorErrors, OutOfMemoryNamesMemoryAskedFreeAndLargestBlock) {
  PhysicalAllocator a(testing::ahbm_spec());
  const PhysAddr x = a.allocate_tcm({0, 3, 5}, 2_MiB);
  a.allocate_tcm({0, 3, 5}, 2_MiB);
  const PhysAddr z = a.allocate_tcm({0, 3, 5}, 4_MiB);
  a.free(x);
  a.free(z);  // free: 2 MiB hole + 4 MiB hole + 4 MiB tail (which coalesces with the second)
  try {
    a.allocate_tcm({0, 3, 5}, 9_MiB);
    FAIL() << "no error";
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "out of memory: TCM of PE (sip 0, cube 3, pe 5): asked 9 MiB, free 10 MiB, "
                 "largest free block 8 MiB");
  }
}

TEST(PhysicalAllocatorErrors, OutOfMemoryInSramAndHbm) {
  PhysicalAllocator a(testing::ahbm_spec(1, 16));
  try {
    a.allocate_sram({0, 2}, 33_MiB);
    FAIL();
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "out of memory: SRAM of cube (sip 0, cube 2): asked 33 MiB, free 32 MiB, "
                 "largest free block 32 MiB");
  }
  try {
    a.allocate_hbm({0, 1, 3}, 4_GiB);
    FAIL();
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "out of memory: HBM home slices 6-7 of PE (sip 0, cube 1, pe 3): asked "
                 "4 GiB, free 6 GiB, largest free block 3 GiB");
  }
  PhysicalAllocator b(testing::ahbm_spec());
  try {
    b.allocate_hbm({0, 1, 3}, 7_GiB);
    FAIL();
  } catch (const base::OutOfMemoryError& e) {
    EXPECT_STREQ(e.what(),
                 "out of memory: HBM home slice 3 of PE (sip 0, cube 1, pe 3): asked "
                 "7 GiB, free 6 GiB, largest free block 6 GiB");
  }
}

TEST(PhysicalAllocatorErrors, FreeOfAnAddressThatWasNotAllocated) {
  PhysicalAllocator a(testing::ahbm_spec());
  const PhysAddr p = a.allocate_tcm({0, 0, 1}, 4_KiB);
  try {
    a.free(p + 64_B);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "free of pa(sip 0, cube 0, tcm pe 1, +0x40): no allocated block starts "
                 "there");
  }
  a.free(p);
  EXPECT_THROW(a.free(p), base::AddressError);  // double free
  EXPECT_THROW(a.free(PhysAddr::encode(MemoryId::sram({0, 9}), 0)), base::AddressError);
}

TEST(PhysicalAllocatorErrors, UnknownMemory) {
  PhysicalAllocator a(testing::ahbm_spec());
  try {
    a.allocate_tcm({0, 16, 0}, 1_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "no such memory: TCM of PE (sip 0, cube 16, pe 0) (sip_count 1, 16 "
                 "cubes per SIP, 8 HBM slices and 8 PEs per cube)");
  }
  EXPECT_THROW(a.allocate_hbm({1, 0, 0}, 1_KiB), base::AddressError);
  try {
    a.allocate_hbm({0, 0, 8}, 1_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "no such PE (sip 0, cube 0, pe 8) (sip_count 1, 16 cubes per SIP, 8 HBM "
                 "slices and 8 PEs per cube)");
  }
  EXPECT_THROW(a.allocate_hbm_slice({0, 0}, 8, 1_KiB), base::AddressError);
}

}  // namespace
}  // namespace kernbench::mem
