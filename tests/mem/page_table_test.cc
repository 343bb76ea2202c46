#include "kernbench/mem/page_table.h"

#include <vector>

#include <gtest/gtest.h>

#include "host_memory.h"
#include "test_topology.h"

#include "kernbench/base/error.h"
#include "kernbench/mem/physical_allocator.h"
#include "kernbench/mem/virtual_allocator.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

const topo::PeCoord kPe{0, 1, 2};
const PhysAddr kHbm = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0x10000);
const PhysAddr kTcm = PhysAddr::encode(MemoryId::tcm({0, 1, 2}), 0);
const VirtAddr kVa(0x40000000);

TEST(PageTable, TranslatesWithThePageOffsetAndContiguousBytes) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa, kHbm, 64_KiB);
  const Translation t = pt.translate(kVa + 5000_B);
  EXPECT_EQ(t.pa, kHbm + 5000_B);
  EXPECT_EQ(t.contiguous, 64_KiB - 5000_B);
  EXPECT_EQ(pt.translate(kVa).pa, kHbm);
  EXPECT_EQ(pt.translate(kVa + (64_KiB - 1_B)).contiguous, 1_B);
  EXPECT_FALSE(pt.try_translate(kVa + 64_KiB));
  EXPECT_EQ(pt.mapping_count(), 1u);
  EXPECT_EQ(pt.mapped_bytes(), 64_KiB);
}

TEST(PageTable, AdjacentMappingsStaySeparateRanges) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa, kHbm, 8_KiB);
  pt.map(kVa + 8_KiB, kTcm, 4_KiB);  // touches, does not overlap
  EXPECT_EQ(pt.translate(kVa + 8_KiB + 3_B).pa, kTcm + 3_B);
  EXPECT_EQ(pt.translate(kVa + 4_KiB).contiguous, 4_KiB);  // stops at the mapping boundary
}

TEST(PageTable, UnmapCutsAndSpansMappings) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa, kHbm, 16_KiB);
  pt.map(kVa + 16_KiB, kTcm, 16_KiB);
  // Cut a hole across the boundary: [12 KiB, 20 KiB).
  pt.unmap(kVa + 12_KiB, 8_KiB);
  EXPECT_EQ(pt.mapping_count(), 2u);
  EXPECT_EQ(pt.mapped_bytes(), 24_KiB);
  EXPECT_EQ(pt.translate(kVa + 8_KiB).contiguous, 4_KiB);
  EXPECT_FALSE(pt.try_translate(kVa + 12_KiB));
  EXPECT_FALSE(pt.try_translate(kVa + 19_KiB));
  EXPECT_EQ(pt.translate(kVa + 20_KiB).pa, kTcm + 4_KiB);  // the tail kept its PA
  EXPECT_EQ(pt.translate(kVa + 20_KiB).contiguous, 12_KiB);
  // Punch the middle of a mapping: head and tail both survive.
  pt.unmap(kVa + 24_KiB, 4_KiB);
  EXPECT_EQ(pt.translate(kVa + 28_KiB).pa, kTcm + 12_KiB);
  EXPECT_EQ(pt.mapping_count(), 3u);
  // Map again where we unmapped.
  pt.map(kVa + 12_KiB, kHbm + 1_MiB, 8_KiB);
  EXPECT_EQ(pt.translate(kVa + 16_KiB).pa, kHbm + 1_MiB + 4_KiB);
}

TEST(PageTableErrors, PageFaultNamesThePeAndTheVa) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa, kHbm, 4_KiB);
  try {
    pt.translate(kVa + 4_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(), "page fault on PE (sip 0, cube 1, pe 2): va(0x40001000) is not mapped");
  }
  EXPECT_THROW(pt.translate(VirtAddr(0)), base::AddressError);
}

TEST(PageTableErrors, OverlappingMapNamesTheExistingMapping) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa + 8_KiB, kHbm, 8_KiB);
  try {
    pt.map(kVa, kTcm, 12_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "map on PE (sip 0, cube 1, pe 2): [va(0x40000000), +12 KiB) overlaps the "
                 "mapping [va(0x40002000), +8 KiB) -> pa(sip 0, cube 1, hbm slice 2, "
                 "+0x10000)");
  }
  EXPECT_THROW(pt.map(kVa + 12_KiB, kTcm, 4_KiB), base::AddressError);  // inside
  EXPECT_THROW(pt.map(kVa + 4_KiB, kTcm, 16_KiB), base::AddressError);  // covering
  EXPECT_EQ(pt.mapping_count(), 1u);  // failed maps changed nothing
}

TEST(PageTableErrors, UnalignedOrEmptyRanges) {
  PageTable pt(kPe, 4_KiB);
  try {
    pt.map(kVa + 1_B, kHbm, 4_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "map on PE (sip 0, cube 1, pe 2): [va(0x40000001), +4 KiB) is not a "
                 "whole number of pages (page size 4 KiB)");
  }
  EXPECT_THROW(pt.map(kVa, kHbm, 100_B), base::AddressError);
  EXPECT_THROW(pt.map(kVa, kHbm, 0_B), base::AddressError);
  try {
    pt.map(kVa, kHbm + 64_B, 4_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "map on PE (sip 0, cube 1, pe 2): pa(sip 0, cube 1, hbm slice 2, "
                 "+0x10040) is not aligned to the page size 4 KiB");
  }
  EXPECT_THROW(pt.map(kVa,
                      PhysAddr::encode(MemoryId::tcm({0, 1, 2}),
                                       PhysAddr::kOffsetMask & ~std::uint64_t{0xfff}),
                      8_KiB),
               base::AddressError);  // would leave the memory's offset field
  EXPECT_THROW(pt.unmap(kVa, 2_KiB), base::AddressError);
}

TEST(PageTableErrors, UnmapOfAHoleChangesNothing) {
  PageTable pt(kPe, 4_KiB);
  pt.map(kVa, kHbm, 4_KiB);
  pt.map(kVa + 8_KiB, kTcm, 4_KiB);
  try {
    pt.unmap(kVa, 12_KiB);
    FAIL();
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(),
                 "unmap on PE (sip 0, cube 1, pe 2): [va(0x40000000), +12 KiB) is not "
                 "mapped at va(0x40001000)");
  }
  EXPECT_EQ(pt.mapping_count(), 2u);
  EXPECT_EQ(pt.mapped_bytes(), 8_KiB);
}

// The runtime's pattern: a 48 GiB tensor split into one shard per PE of a SIP (128), each shard in
// its PE's home HBM slice, and every PE mapping all 128 shards at the tensor's one VA range.
TEST(PageTable, A48GiBTensorMappedOnEveryPeOfASipStaysUnder10MiB) {
  const auto spec = testing::ahbm_spec();
  PhysicalAllocator physical(spec);
  VirtualAllocator virtual_space = VirtualAllocator::for_system(spec);
  const int pes = spec.pes_per_sip();
  ASSERT_EQ(pes, 128);
  const base::Bytes shard = 48_GiB / static_cast<std::uint64_t>(pes);
  const VirtAddr tensor = virtual_space.allocate(48_GiB);
  std::vector<PhysAddr> shards;
  for (int i = 0; i < pes; ++i)
    shards.push_back(physical.allocate_hbm({0, i / 8, i % 8}, shard, spec.cube.pe.mmu.page_size));

  const std::int64_t before = testing::live_host_bytes();
  std::vector<PageTable> tables;
  tables.reserve(static_cast<std::size_t>(pes));
  for (int i = 0; i < pes; ++i) {
    PageTable& pt = tables.emplace_back(topo::PeCoord{0, i / 8, i % 8}, spec.cube.pe.mmu.page_size);
    for (int s = 0; s < pes; ++s)
      pt.map(tensor + shard * static_cast<std::uint64_t>(s), shards[s], shard);
  }
  const std::int64_t used = testing::live_host_bytes() - before;

  EXPECT_LT(used, 10 << 20);
  RecordProperty("host_bytes", static_cast<int>(used));
  std::printf("[ host memory ] 128 page tables x 128 mappings of 384 MiB: %lld bytes\n",
              static_cast<long long>(used));
  // And they translate: PE 77 reads byte 100 of shard 5.
  const Translation t = tables[77].translate(tensor + shard * 5 + 100_B);
  EXPECT_EQ(t.pa, shards[5] + 100_B);
  EXPECT_EQ(t.contiguous, shard - 100_B);
  EXPECT_EQ(tables[77].mapped_bytes(), 48_GiB);
}

}  // namespace
}  // namespace kernbench::mem
