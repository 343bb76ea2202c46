// Loads through the MMU as a timed resource: a request's page walks queue for its PE's walkers
// (page_walkers), its lookups run one TLB hit latency apart, and it takes a DMA channel only once
// translated. Every expected time is a closed form of the spec's MMU figures and the route's idle
// transfer time (tests/hw's idle_transfer_time), never the model's output.
#include <gtest/gtest.h>

#include "tl_test_support.h"

#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::tl {
namespace {

using base::SimTime;
using D = std::vector<double>;

constexpr std::int64_t kPages = 8;

topo::Overrides walkers(int n) {
  return {"cube.pe_template.components.pe_mmu.attrs.page_walkers=" + std::to_string(n)};
}

struct Figures {
  explicit Figures(testing::Rig& rig) : spec(rig.system().spec()) {}
  const topo::TopologySpec& spec;

  std::uint64_t page() const { return spec.cube.pe.mmu.page_size.count(); }
  SimTime miss() const { return spec.cube.pe.mmu.tlb_miss_latency; }
  SimTime hit() const { return spec.cube.pe.mmu.tlb_hit_latency; }
  // f32 elements in `pages` pages.
  std::int64_t elements(std::int64_t pages) const {
    return pages * static_cast<std::int64_t>(page() / 4);
  }
  // An idle transfer of `bytes` (whole chunks) from the tensor's memory to `pe`'s TCM.
  SimTime move(testing::Rig& rig, const rt::TensorArg& t, topo::PeCoord pe,
               std::uint64_t bytes) const {
    const auto memory =
        hw::Location::memory(rig.pe().mmu().page_table().translate(t.va).pa.memory());
    const hw::Route route =
        rig.system().fabric().route(memory, hw::Location::memory(mem::MemoryId::tcm(pe)));
    const base::Bytes chunk = spec.cube.pe.dma.chunk_size;
    return hw::testing::idle_transfer_time(route, chunk, bytes / chunk.count());
  }
};

// Loads `pages` cold pages (one contiguous run) and returns when the bytes are there.
SimTime load_pages(testing::Rig& rig, const rt::TensorArg& t, std::int64_t n) {
  SimTime ready;
  rig.run(
      [&](Program& p) {
        const Tile ptr = p.pointer(0) + arange(0, n);
        const SimTime t0 = p.context().process().now();
        (void)load(ptr).data();
        ready = p.context().process().now() - t0;
      },
      {t});
  return ready;
}

TEST(MmuTiming, OneWalkerWalksTheColdPagesOfARequestInTurn) {
  testing::Rig rig({0, 0, 0}, walkers(1));
  const Figures f(rig);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(f.elements(kPages)), 1.0));
  sim::RecordingTraceSink sink;
  rig.engine().set_trace_sink(&sink);
  const SimTime ready = load_pages(rig, t, f.elements(kPages));
  rig.engine().set_trace_sink(nullptr);
  const SimTime translation = kPages * f.miss();
  EXPECT_EQ(ready, translation + f.move(rig, t, {0, 0, 0}, kPages * f.page()));
  const ProgramStats& s = rig.last_stats();
  EXPECT_EQ(s.translation, translation);
  EXPECT_EQ(s.tlb_lookups, kPages);
  EXPECT_EQ(s.tlb_misses, kPages);
  // The walks are one busy run on the MMU's track; the DMA engine's span starts when they end.
  int walks = 0, loads = 0;
  for (const auto& r : sink.records()) {
    if (r.track == "sip0/cube0/pe0/mmu") {
      ++walks;
      EXPECT_EQ(r.name, "walk");
      EXPECT_EQ(r.start, SimTime::zero());
      EXPECT_EQ(r.end, translation);
    }
    if (r.track == "sip0/cube0/pe0/dma") {
      ++loads;
      EXPECT_EQ(r.start, translation);
      EXPECT_EQ(r.args, (std::vector<std::pair<std::string, std::string>>{
                            {"bytes", std::to_string(kPages * f.page())},
                            {"runs", "1"},
                            {"pages", std::to_string(kPages)},
                            {"tlb_misses", std::to_string(kPages)}}));
    }
  }
  EXPECT_EQ(walks, 1);
  EXPECT_EQ(loads, 1);
}

// Lookups run one hit latency apart, so walker w takes its first walk at w hit latencies and
// then walks back to back: the last of kPages walks on 4 walkers ends at 3 hits + kPages/4 walks.
TEST(MmuTiming, FourWalkersOverlapTheWalksOfOneRequest) {
  testing::Rig rig({0, 0, 0}, walkers(4));
  const Figures f(rig);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(f.elements(kPages)), 1.0));
  const SimTime ready = load_pages(rig, t, f.elements(kPages));
  const SimTime translation = 3 * f.hit() + (kPages / 4) * f.miss();
  EXPECT_EQ(ready, translation + f.move(rig, t, {0, 0, 0}, kPages * f.page()));
  EXPECT_EQ(rig.last_stats().translation, translation);
  EXPECT_EQ(rig.last_stats().tlb_misses, kPages);
}

TEST(MmuTiming, TwoPesWalkTheirMissesIndependently) {
  testing::Rig rig({0, 0, 0}, walkers(1));
  const Figures f(rig);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(f.elements(kPages)), 1.0));
  const topo::PeCoord a{0, 0, 0}, b{0, 0, 1};
  rig.share(t, b);
  rig.run_on({a, b}, [&](Program& p) { (void)load(p.pointer(0) + arange(0, f.elements(kPages))); },
             {t});
  for (const topo::PeCoord pe : {a, b}) {
    EXPECT_EQ(rig.last_stats(pe).translation, kPages * f.miss()) << pe.pe;  // not 2 kPages walks
    EXPECT_EQ(rig.last_stats(pe).tlb_misses, kPages) << pe.pe;
  }
}

TEST(MmuTiming, StatsCountLookupsMissesAndTheTlbReach) {
  testing::Rig rig;
  const Figures f(rig);
  const std::int64_t n = f.elements(kPages);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n), 1.0));
  SimTime second;
  rig.run(
      [&](Program& p) {
        const Tile ptr = p.pointer(0) + arange(0, n);
        (void)load(ptr).data();  // cold
        const SimTime t0 = p.context().process().now();
        (void)load(ptr).data();  // every page in the TLB now
        second = p.context().process().now() - t0;
      },
      {t});
  EXPECT_EQ(second, kPages * f.hit() + f.move(rig, t, {0, 0, 0}, kPages * f.page()));
  const ProgramStats& s = rig.last_stats();
  EXPECT_EQ(s.tlb_lookups, 2 * kPages);
  EXPECT_EQ(s.tlb_misses, kPages);
  EXPECT_EQ(s.translation, kPages * f.miss() + kPages * f.hit());
  EXPECT_EQ(s.tlb_reach_bytes,
            static_cast<std::uint64_t>(f.spec.cube.pe.mmu.tlb_entries) * f.page());
}

// With one DMA channel, a request whose page is in the TLB passes one still waiting for walks:
// the channel is taken only once a request is translated.
TEST(MmuTiming, ARequestWaitingForWalksHoldsNoDmaChannel) {
  testing::Rig rig({0, 0, 0}, {"cube.pe_template.components.pe_dma.attrs.channels=1"});
  const Figures f(rig);
  const std::int64_t one = f.elements(1);
  const auto cold = rig.tensor(DType::f32, D(static_cast<std::size_t>(f.elements(kPages)), 1.0));
  const auto warm = rig.tensor(DType::f32, D(static_cast<std::size_t>(one), 2.0));
  SimTime warm_ready, cold_ready;
  rig.run(
      [&](Program& p) {
        const Tile warm_ptr = p.pointer(1) + arange(0, one);
        (void)load(warm_ptr).data();
        const SimTime t0 = p.context().process().now();
        const Tile a = load(p.pointer(0) + arange(0, f.elements(kPages)));
        const Tile b = load(warm_ptr);
        (void)b.data();
        warm_ready = p.context().process().now() - t0;
        (void)a.data();
        cold_ready = p.context().process().now() - t0;
      },
      {cold, warm});
  EXPECT_EQ(warm_ready, f.hit() + f.move(rig, warm, {0, 0, 0}, f.page()));
  EXPECT_EQ(cold_ready, kPages * f.miss() + f.move(rig, cold, {0, 0, 0}, kPages * f.page()));
}

}  // namespace
}  // namespace kernbench::tl
