#include "kernbench/hw/mmu.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using mem::MemoryId;
using mem::PhysAddr;
using mem::VirtAddr;

topo::MmuSpec small_tlb() {
  topo::MmuSpec s;
  s.page_size = 4_KiB;
  s.tlb_entries = 2;
  s.tlb_hit_latency = 1_ns;
  s.tlb_miss_latency = 100_ns;
  return s;
}

TEST(Mmu, HitsAndMissesCostWhatTheSpecSays) {
  Mmu mmu({0, 1, 2}, small_tlb());
  const PhysAddr pa = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0x10000);
  mmu.map(VirtAddr(0x100000), pa, 16_KiB);
  auto r = mmu.translate(VirtAddr(0x100010));
  EXPECT_FALSE(r.tlb_hit);
  EXPECT_EQ(r.cost, 100_ns);
  EXPECT_EQ(r.translation.pa, pa + 0x10_B);
  r = mmu.translate(VirtAddr(0x100ff0));  // same page
  EXPECT_TRUE(r.tlb_hit);
  EXPECT_EQ(r.cost, 1_ns);
  EXPECT_EQ(mmu.tlb_hits(), 1u);
  EXPECT_EQ(mmu.tlb_misses(), 1u);
}

TEST(Mmu, LeastRecentlyUsedPageIsEvicted) {
  Mmu mmu({0, 0, 0}, small_tlb());
  mmu.map(VirtAddr(0x100000), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 0), 16_KiB);
  const auto page = [](int i) { return VirtAddr(0x100000 + 4096 * static_cast<std::uint64_t>(i)); };
  mmu.translate(page(0));                       // miss: {0}
  mmu.translate(page(1));                       // miss: {1, 0}
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);  // {0, 1}
  mmu.translate(page(2));                       // miss, evicts 1: {2, 0}
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);
  EXPECT_FALSE(mmu.translate(page(1)).tlb_hit);
}

TEST(Mmu, UnmapDropsCachedPages) {
  Mmu mmu({0, 0, 0}, small_tlb());
  mmu.map(VirtAddr(0x100000), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 0), 4_KiB);
  mmu.translate(VirtAddr(0x100000));
  mmu.unmap(VirtAddr(0x100000), 4_KiB);
  mmu.map(VirtAddr(0x100000), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 8192), 4_KiB);
  const auto r = mmu.translate(VirtAddr(0x100000));
  EXPECT_FALSE(r.tlb_hit);
  EXPECT_EQ(r.translation.pa.offset(), 8192u);
}

TEST(MmuErrors, FaultNamesPeAndAddress) {
  Mmu mmu({0, 3, 5}, small_tlb());
  try {
    mmu.translate(VirtAddr(0x40001000));
    FAIL() << "no fault";
  } catch (const base::AddressError& e) {
    EXPECT_STREQ(e.what(), "page fault on PE (sip 0, cube 3, pe 5): va(0x40001000) is not mapped");
  }
  EXPECT_EQ(mmu.tlb_misses(), 0u);  // a fault does not fill the TLB
}

}  // namespace
}  // namespace kernbench::hw
