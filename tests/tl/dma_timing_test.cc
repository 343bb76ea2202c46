// Loads and stores as DMA transfers: a load returns at once and its first consumer waits; the
// time is the MMU's translations plus the route's closed form (tests/hw's idle_transfer_time, from
// the channels' spec figures); double buffering hides loads behind compute; two PEs loading from
// one HBM slice share its port; the trace and the program's figures say where the time went.
#include <algorithm>
#include <map>

#include <gtest/gtest.h>

#include "tl_test_support.h"

#include "kernbench/sim/recording_trace_sink.h"

namespace kernbench::tl {
namespace {

using base::SimTime;
using D = std::vector<double>;

// The figures every test here builds its closed forms from.
struct Figures {
  explicit Figures(testing::Rig& rig) : spec(rig.system().spec()) {}
  const topo::TopologySpec& spec;

  base::Bytes chunk() const { return spec.cube.pe.dma.chunk_size; }
  SimTime miss() const { return spec.cube.pe.mmu.tlb_miss_latency; }
  SimTime hit() const { return spec.cube.pe.mmu.tlb_hit_latency; }
  // One f32 element-wise op over n elements on the vector unit.
  SimTime f32_op(std::int64_t n) const {
    const auto& core = spec.cube.pe.core;
    return base::cycles_to_time(
        base::Cycles(static_cast<std::uint64_t>((n + core.vector_lanes - 1) / core.vector_lanes)),
        core.clock);
  }
  // An idle transfer of `chunks` full chunks between the tensor's memory and `pe`'s TCM.
  SimTime move(testing::Rig& rig, const rt::TensorArg& t, topo::PeCoord pe, std::uint64_t chunks,
               bool to_tcm = true) const {
    const auto memory =
        hw::Location::memory(rig.pe().mmu().page_table().translate(t.va).pa.memory());
    const auto tcm = hw::Location::memory(mem::MemoryId::tcm(pe));
    const hw::Route route = to_tcm ? rig.system().fabric().route(memory, tcm)
                                   : rig.system().fabric().route(tcm, memory);
    return hw::testing::idle_transfer_time(route, chunk(), chunks);
  }
};

TEST(DmaAnalytic, LoadReturnsAtOnceAndItsFirstConsumerWaits) {
  testing::Rig rig;
  const Figures f(rig);
  const std::int64_t n = static_cast<std::int64_t>(f.chunk().count() / 4);  // one chunk of f32
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n), 2.0));
  std::vector<SimTime> at;
  rig.run(
      [&](Program& p) {
        sim::Process& proc = p.context().process();
        const Tile ptr = p.pointer(0) + arange(0, n);
        const SimTime t0 = proc.now();
        const Tile x = load(ptr);
        at.push_back(proc.now() - t0);  // issuing costs nothing
        EXPECT_TRUE(x.in_flight());
        EXPECT_EQ(sum(x + 1.0f).item_double(), 3.0 * static_cast<double>(n));
        at.push_back(proc.now() - t0);
        const SimTime t1 = proc.now();
        (void)(load(ptr) + 1.0f);  // the page is in the TLB now
        at.push_back(proc.now() - t1);
      },
      {t});
  const SimTime add = f.f32_op(n), reduce = f.f32_op(n);
  ASSERT_EQ(at.size(), 3u);
  EXPECT_EQ(at[0], SimTime::zero());
  EXPECT_EQ(at[1], f.miss() + f.move(rig, t, {0, 0, 0}, 1) + add + reduce);
  EXPECT_EQ(at[2], f.hit() + f.move(rig, t, {0, 0, 0}, 1) + add);
  const ProgramStats& s = rig.last_stats();
  EXPECT_EQ(s.dma_requests, 2);
  EXPECT_EQ(s.wait, f.miss() + f.hit() + 2 * f.move(rig, t, {0, 0, 0}, 1));
  EXPECT_EQ(s.dma, s.wait);  // nothing overlapped the loads here
  EXPECT_EQ(s.elapsed, s.vector + s.matrix + s.wait);
}

TEST(DmaAnalytic, StoreCompletesAsynchronouslyAndTheProgramEndWaitsForIt) {
  testing::Rig rig;
  const Figures f(rig);
  const std::int64_t n = static_cast<std::int64_t>(f.chunk().count() / 4);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n), 0.0));
  rig.run(
      [&](Program& p) {
        const Tile ptr = p.pointer(0) + arange(0, n);
        const Tile v = full({n}, 5.0, DType::f32).with_program(&p);
        const SimTime t0 = p.context().process().now();
        store(ptr, v);
        EXPECT_EQ(p.context().process().now(), t0);
      },
      {t});
  EXPECT_EQ(rig.read(t), D(static_cast<std::size_t>(n), 5.0));
  const ProgramStats& s = rig.last_stats();
  const SimTime store_time = f.miss() + f.move(rig, t, {0, 0, 0}, 1, false);
  EXPECT_EQ(s.wait, store_time);
  EXPECT_EQ(s.dma, store_time);
  EXPECT_EQ(s.elapsed, s.vector + s.wait);
}

// Loads n tiles of one chunk each, and runs k f32 adds on each, k chosen from the spec so that
// one tile's compute outlasts one load. Serial: n (load + compute). Double-buffered (the next
// tile's load issued before computing the current): one load, then n computes.
TEST(DmaAnalytic, DoubleBufferingHidesLoadsBehindCompute) {
  constexpr int kTiles = 8;
  const auto run = [&](bool double_buffer, ProgramStats& stats) {
    testing::Rig rig;
    const Figures f(rig);
    const std::int64_t n = static_cast<std::int64_t>(f.chunk().count() / 4);
    const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n * kTiles), 1.0));
    const SimTime load_time = f.miss() + f.move(rig, t, {0, 0, 0}, 1);
    const std::int64_t k = load_time.ps() / f.f32_op(n).ps() + 1;
    SimTime elapsed;
    rig.run(
        [&](Program& p) {
          std::vector<Tile> ptrs;  // address arithmetic outside the timed part
          for (int i = 0; i < kTiles; ++i) ptrs.push_back(p.pointer(0) + (arange(0, n) + i * n));
          const SimTime t0 = p.context().process().now();
          Tile cur = load(ptrs[0]);
          for (int i = 0; i < kTiles; ++i) {
            Tile next;
            if (double_buffer && i + 1 < kTiles) next = load(ptrs[i + 1]);
            for (std::int64_t j = 0; j < k; ++j) cur = cur + 1.0f;
            EXPECT_EQ(cur.value(0), 1.0 + static_cast<double>(k));
            if (i + 1 < kTiles) cur = double_buffer ? next : load(ptrs[i + 1]);
          }
          elapsed = p.context().process().now() - t0;
        },
        {t});
    stats = rig.last_stats();
    const SimTime compute = k * f.f32_op(n);
    EXPECT_EQ(elapsed,
              double_buffer ? load_time + kTiles * compute : kTiles * (load_time + compute));
    EXPECT_EQ(stats.wait, double_buffer ? load_time : kTiles * load_time);
    return elapsed;
  };
  ProgramStats serial, overlapped;
  const SimTime t_serial = run(false, serial);
  const SimTime t_double = run(true, overlapped);
  EXPECT_LT(t_double, t_serial);
  EXPECT_EQ(serial.vector, overlapped.vector);  // same work, less waiting
}

// PE 0 and PE 1 load 4 chunks each from PE 0's home slice at the same instant. The slice's port
// is the slowest stage of both routes and serves chunks in arrival order (A0 B0 A1 B1 ...), so
// the second flow ends 4 slice services later than it would alone, the first 3 later.
TEST(DmaAnalytic, TwoPesLoadingFromOneSliceContend) {
  testing::Rig rig;
  const Figures f(rig);
  constexpr std::uint64_t kChunks = 4;
  const std::int64_t n = static_cast<std::int64_t>(kChunks * f.chunk().count() / 4);
  const auto t = rig.tensor(DType::f32, D(static_cast<std::size_t>(n), 1.0));
  const topo::PeCoord a{0, 0, 0}, b{0, 0, 1};
  rig.share(t, b);
  std::map<int, SimTime> ready;
  rig.run_on({a, b},
             [&](Program& p) {
               const Tile ptr = p.pointer(0) + arange(0, n);
               const SimTime t0 = p.context().process().now();
               const Tile x = load(ptr);
               (void)x.data();  // wait for the bytes, nothing else
               ready[p.context().pe().coord().pe] = p.context().process().now() - t0;
             },
             {t});
  const SimTime slice = base::transfer_time(f.chunk(), f.spec.cube.hbm.slice_bandwidth);
  const SimTime xlate = static_cast<std::int64_t>(kChunks) * f.miss();  // a page per chunk
  EXPECT_EQ(ready[0],
            xlate + f.move(rig, t, a, kChunks) + static_cast<std::int64_t>(kChunks - 1) * slice);
  EXPECT_EQ(ready[1],
            xlate + f.move(rig, t, b, kChunks) + static_cast<std::int64_t>(kChunks) * slice);
}

TEST(Dma, TraceShowsDmaVectorAndWaitSpansOnThePeTracks) {
  testing::Rig rig;
  sim::RecordingTraceSink sink;
  rig.engine().set_trace_sink(&sink);
  const auto t = rig.tensor(DType::f32, D(64, 1.0));
  rig.run([](Program& p) { (void)(load(p.pointer(0) + arange(0, 64)) * 2.0f); }, {t});
  rig.engine().set_trace_sink(nullptr);
  std::vector<std::string> seen;
  for (const auto& r : sink.records()) seen.push_back(r.track + " " + r.name);
  const auto has = [&](const std::string& s) {
    return std::find(seen.begin(), seen.end(), s) != seen.end();
  };
  EXPECT_TRUE(has("sip0/cube0/pe0/dma load")) << ::testing::PrintToString(seen);
  EXPECT_TRUE(has("sip0/cube0/pe0/wait wait"));
  EXPECT_TRUE(has("sip0/cube0/pe0/vector vector"));
  for (const auto& r : sink.records()) {
    if (r.name == "load") {
      EXPECT_EQ(r.args, (std::vector<std::pair<std::string, std::string>>{
                            {"bytes", "256"}, {"runs", "1"}, {"pages", "1"}, {"tlb_misses", "1"}}));
    }
  }
}

}  // namespace
}  // namespace kernbench::tl
