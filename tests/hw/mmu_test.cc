#include "kernbench/hw/mmu.h"

#include <algorithm>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/sim/engine.h"
#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::hw {
namespace {

using namespace base::literals;
using base::SimTime;
using mem::MemoryId;
using mem::PhysAddr;
using mem::VirtAddr;

topo::MmuSpec small_tlb(int walkers = 1) {
  topo::MmuSpec s;
  s.page_size = 4_KiB;
  s.tlb_entries = 2;
  s.tlb_hit_latency = 1_ns;
  s.tlb_miss_latency = 100_ns;
  s.page_walkers = walkers;
  return s;
}

VirtAddr page(int i) { return VirtAddr(0x100000 + 4096 * static_cast<std::uint64_t>(i)); }

// An MMU on its own engine with `pages` pages mapped from page(0).
struct Rig {
  explicit Rig(topo::MmuSpec spec, int pages = 16, topo::PeCoord pe = {0, 0, 0})
      : mmu(engine, "sip0/cube0/pe0/mmu", pe, spec) {
    mmu.map(page(0), PhysAddr::encode(MemoryId::tcm(pe), 0),
            base::Bytes(4096 * static_cast<std::uint64_t>(pages)));
  }
  sim::Engine engine;
  Mmu mmu;
};

TEST(Mmu, HitsAndMissesCostWhatTheSpecSays) {
  sim::Engine engine;
  Mmu mmu(engine, "sip0/cube1/pe2/mmu", {0, 1, 2}, small_tlb());
  const PhysAddr pa = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0x10000);
  mmu.map(VirtAddr(0x100000), pa, 16_KiB);
  auto r = mmu.translate(VirtAddr(0x100010));
  EXPECT_FALSE(r.tlb_hit);
  EXPECT_EQ(r.ready, 100_ns);  // one walk
  EXPECT_EQ(r.translation.pa, pa + 0x10_B);
  r = mmu.translate(VirtAddr(0x100ff0), 200_ns);  // same page, walked by then
  EXPECT_TRUE(r.tlb_hit);
  EXPECT_EQ(r.ready, 201_ns);
  EXPECT_EQ(mmu.tlb_hits(), 1u);
  EXPECT_EQ(mmu.tlb_misses(), 1u);
  EXPECT_EQ(mmu.tlb_reach(), 8_KiB);  // 2 entries of 4 KiB
}

TEST(Mmu, LeastRecentlyUsedPageIsEvicted) {
  Rig rig(small_tlb(), 4);
  Mmu& mmu = rig.mmu;
  mmu.translate(page(0));                       // miss: {0}
  mmu.translate(page(1));                       // miss: {1, 0}
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);  // {0, 1}
  mmu.translate(page(2));                       // miss, evicts 1: {2, 0}
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);
  EXPECT_FALSE(mmu.translate(page(1)).tlb_hit);
}

// A TLB past a few cache lines finds its pages through a map: the same LRU order and unmapping.
TEST(Mmu, ALargeTlbEvictsTheLeastRecentlyUsedPageAndDropsUnmappedOnes) {
  topo::MmuSpec spec = small_tlb();
  spec.tlb_entries = 200;
  Rig rig(spec, 400);
  Mmu& mmu = rig.mmu;
  for (int i = 0; i < 200; ++i) EXPECT_FALSE(mmu.translate(page(i)).tlb_hit) << i;
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);     // 0 is now the most recent, 1 the least
  EXPECT_FALSE(mmu.translate(page(200)).tlb_hit);  // evicts 1
  EXPECT_TRUE(mmu.translate(page(0)).tlb_hit);
  EXPECT_TRUE(mmu.translate(page(2)).tlb_hit);
  EXPECT_FALSE(mmu.translate(page(1)).tlb_hit);  // evicts 3 (2 was used again)
  EXPECT_FALSE(mmu.translate(page(3)).tlb_hit);  // evicts 4
  EXPECT_FALSE(mmu.translate(page(4)).tlb_hit);  // evicts 5
  // Unmapping pages 10..19 frees their entries: ten new pages then evict nothing.
  mmu.unmap(page(10), base::Bytes(10 * 4096));
  for (int i = 300; i < 310; ++i) EXPECT_FALSE(mmu.translate(page(i)).tlb_hit) << i;
  EXPECT_TRUE(mmu.translate(page(6)).tlb_hit);
  EXPECT_FALSE(mmu.translate(page(5)).tlb_hit);
  EXPECT_EQ(mmu.tlb_misses(), 215u);
}

// Random lookups and unmaps against a plain LRU list: the same hits and misses.
TEST(Mmu, TlbHitsAsAnLruListWouldUnderRandomLookupsAndUnmaps) {
  for (const int entries : {1, 5, 16, 200}) {
    topo::MmuSpec spec = small_tlb();
    spec.tlb_entries = entries;
    const int pages = entries * 3 + 4;
    Rig rig(spec, pages);
    std::vector<int> lru;  // most recent first
    std::mt19937 random(static_cast<unsigned>(entries));
    for (int step = 0; step < 20000; ++step) {
      const int k = static_cast<int>(random() % static_cast<unsigned>(pages));
      if (random() % 16 == 0) {  // unmap and map again: the page leaves the TLB
        rig.mmu.unmap(page(k), 4_KiB);
        rig.mmu.map(page(k), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 0), 4_KiB);
        std::erase(lru, k);
        continue;
      }
      const auto at = std::ranges::find(lru, k);
      const bool hit = at != lru.end();
      if (hit)
        lru.erase(at);
      else if (static_cast<int>(lru.size()) == entries)
        lru.pop_back();
      lru.insert(lru.begin(), k);
      ASSERT_EQ(rig.mmu.translate(page(k), rig.engine.now()).tlb_hit, hit)
          << entries << " entries, step " << step << ", page " << k;
    }
  }
}

TEST(Mmu, UnmapDropsCachedPages) {
  sim::Engine engine;
  Mmu mmu(engine, "sip0/cube0/pe0/mmu", {0, 0, 0}, small_tlb());
  mmu.map(VirtAddr(0x100000), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 0), 4_KiB);
  mmu.translate(VirtAddr(0x100000));
  mmu.unmap(VirtAddr(0x100000), 4_KiB);
  mmu.map(VirtAddr(0x100000), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 8192), 4_KiB);
  const auto r = mmu.translate(VirtAddr(0x100000));
  EXPECT_FALSE(r.tlb_hit);
  EXPECT_EQ(r.translation.pa.offset(), 8192u);
}

// find_mapping answers what the page table does, through maps and unmaps that cut, move and
// drop mappings the shortcut has answered from.
TEST(Mmu, FindMappingAnswersAsThePageTableDoes) {
  sim::Engine engine;
  Mmu mmu(engine, "sip0/cube0/pe0/mmu", {0, 0, 0}, small_tlb());
  std::mt19937 random(7);
  std::vector<bool> mapped(64, false);
  for (int step = 0; step < 20000; ++step) {
    const int k = static_cast<int>(random() % 64);
    const int n = 1 + static_cast<int>(random() % 4);
    if (random() % 8 == 0) {
      bool all = true, none = true;
      for (int i = k; i < std::min(64, k + n); ++i) (mapped[i] ? none : all) = false;
      const base::Bytes size(4096 * static_cast<std::uint64_t>(std::min(64, k + n) - k));
      if (all) {
        mmu.unmap(page(k), size);
      } else if (none) {
        mmu.map(page(k), PhysAddr::encode(MemoryId::tcm({0, 0, 0}), 4096 * (random() % 256)), size);
      }
      for (int i = k; i < std::min(64, k + n); ++i)
        if (all || none) mapped[i] = none;
      continue;
    }
    const VirtAddr va = page(k) + base::Bytes(random() % 4096);
    const auto want = mmu.page_table().try_translate(va);
    const auto got = mmu.find_mapping(va);
    ASSERT_EQ(got.has_value(), want.has_value()) << "step " << step;
    if (want) {
      ASSERT_EQ(got->pa, want->pa) << "step " << step;
      ASSERT_EQ(got->contiguous, want->contiguous) << "step " << step;
    }
  }
}

// N misses asked for at once: one walker does them one after another (N walks), w walkers
// w at a time (ceil(N / w) walks).
SimTime last_of_cold_pages(int walkers, int n) {
  topo::MmuSpec spec = small_tlb(walkers);
  spec.tlb_entries = 64;
  Rig rig(spec, n);
  SimTime last;
  for (int i = 0; i < n; ++i) last = std::max(last, rig.mmu.translate(page(i)).ready);
  return last;
}

TEST(MmuWalkers, OneWalkerWalksColdPagesOneAfterAnother) {
  const topo::MmuSpec spec = small_tlb();
  for (int n : {1, 2, 8})
    EXPECT_EQ(last_of_cold_pages(1, n), spec.tlb_miss_latency * n) << n << " pages";
}

TEST(MmuWalkers, FourWalkersWalkFourAtATime) {
  const topo::MmuSpec spec = small_tlb();
  EXPECT_EQ(last_of_cold_pages(4, 8), spec.tlb_miss_latency * 2);
  EXPECT_EQ(last_of_cold_pages(4, 9), spec.tlb_miss_latency * 3);
  EXPECT_EQ(last_of_cold_pages(4, 16), spec.tlb_miss_latency * 4);
}

TEST(MmuWalkers, AWalkStartsWhenItIsAskedForAtTheEarliest) {
  Rig rig(small_tlb(2));
  EXPECT_EQ(rig.mmu.translate(page(0), 50_ns).ready, 150_ns);
  EXPECT_EQ(rig.mmu.translate(page(1), 60_ns).ready, 160_ns);  // the second walker
  EXPECT_EQ(rig.mmu.translate(page(2), 70_ns).ready, 250_ns);  // waits for the first
}

TEST(MmuWalkers, AHitOnAPageBeingWalkedWaitsForTheWalk) {
  Rig rig(small_tlb());
  EXPECT_EQ(rig.mmu.translate(page(0)).ready, 100_ns);
  const Mmu::Result again = rig.mmu.translate(page(0), 10_ns);
  EXPECT_TRUE(again.tlb_hit);
  EXPECT_EQ(again.ready, 100_ns);  // not 11 ns: the page is not in the TLB before its walk ends
  EXPECT_EQ(rig.mmu.translate(page(0), 150_ns).ready, 151_ns);
}

TEST(MmuWalkers, TwoPesWalkIndependently) {
  Rig a(small_tlb(), 4, {0, 0, 0});
  sim::Engine& engine = a.engine;
  Mmu b(engine, "sip0/cube0/pe1/mmu", {0, 0, 1}, small_tlb());
  b.map(page(0), PhysAddr::encode(MemoryId::tcm({0, 0, 1}), 0), 16_KiB);
  EXPECT_EQ(a.mmu.translate(page(0)).ready, 100_ns);
  EXPECT_EQ(a.mmu.translate(page(1)).ready, 200_ns);  // queued behind PE 0's first walk
  EXPECT_EQ(b.translate(page(0)).ready, 100_ns);      // PE 1's walker is free
  EXPECT_EQ(b.translate(page(1)).ready, 200_ns);
}

TEST(MmuWalkers, NoTlbWalksEveryLookup) {
  topo::MmuSpec spec = small_tlb();
  spec.tlb_entries = 0;
  Rig rig(spec);
  EXPECT_EQ(rig.mmu.translate(page(0)).ready, 100_ns);
  EXPECT_FALSE(rig.mmu.translate(page(0)).tlb_hit);
  EXPECT_EQ(rig.mmu.tlb_misses(), 2u);
  EXPECT_EQ(rig.mmu.tlb_reach(), 0_B);
}

TEST(MmuTrace, WalksShowAsBusyRunsOnTheMmuTrack) {
  Rig rig(small_tlb(2));
  sim::RecordingTraceSink sink;
  rig.engine.set_trace_sink(&sink);
  rig.mmu.translate(page(0));          // [0, 100)
  rig.mmu.translate(page(1), 50_ns);   // [50, 150): the same run
  rig.mmu.translate(page(2), 300_ns);  // [300, 400): a new run after a gap
  rig.engine.run();
  ASSERT_EQ(sink.records().size(), 2u);
  EXPECT_EQ(sink.records()[0].track, "sip0/cube0/pe0/mmu");
  EXPECT_EQ(sink.records()[0].name, "walk");
  EXPECT_EQ(sink.records()[0].start, 0_ns);
  EXPECT_EQ(sink.records()[0].end, 150_ns);
  EXPECT_EQ(sink.records()[1].start, 300_ns);
  EXPECT_EQ(sink.records()[1].end, 400_ns);
}

TEST(MmuErrors, FaultNamesPeAndAddress) {
  sim::Engine engine;
  Mmu mmu(engine, "sip0/cube3/pe5/mmu", {0, 3, 5}, small_tlb());
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
