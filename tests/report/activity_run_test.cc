// The activity recorder fed by a real run of the hardware model (a host write to an HBM slice,
// then a kernel that copies it to TCM by DMA and computes): every track hw writes has a kind and a
// name, busy times match the spec's bandwidths, and "bound by" names the resources that worked.
#include <gtest/gtest.h>

#include "kernbench/hw/system.h"
#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/figures.h"
#include "kernbench/report/trace_filter.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::report {
namespace {

using namespace base::literals;
using mem::MemoryId;
using mem::PhysAddr;

struct SmallRun {
  topo::TopologySpec spec =
      topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_small.yaml");
  ActivityRecorder activity;
  base::SimTime launch_start, launch_end;

  SmallRun() {
    sim::Engine engine;
    engine.set_trace_sink(&activity);
    hw::System system(engine, spec);
    const PhysAddr hbm = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0);
    const PhysAddr tcm = PhysAddr::encode(MemoryId::tcm({0, 1, 1}), 0);
    system.wait(
        system.submit(hw::MemoryWrite{hbm, 16_KiB, std::vector<std::byte>(16384, std::byte{3})}));
    launch_start = engine.now();
    system.wait(system.submit(hw::KernelLaunch{"copy_and_add", hw::Targets::pe({0, 1, 1}),
                                               [&](sim::Process& p, hw::Pe& pe) {
                                                 pe.dma_copy(p, hbm, tcm, 16_KiB);
                                                 pe.vector_unit().use(p, 50_ns);
                                               }}));
    launch_end = engine.now();
    system.flush_trace();
  }
};

TEST(ActivityRun, EveryHardwareTrackHasAKindAndAName) {
  const SmallRun run;
  ASSERT_GT(run.activity.tracks().size(), 8u);
  for (const sim::TrackId id : run.activity.track_ids()) {
    const sim::TrackInfo& track = run.activity.info(id);
    const std::string_view kind = unit_kind(track.facts);
    EXPECT_NE(kind, "other") << track.name;
    if (kind != "core" && kind != "wait" && kind != "requests") {
      EXPECT_TRUE(describe_track(track.facts).has_value()) << track.name;
    }
  }
}

TEST(ActivityRun, HbmSliceBusyForWhatItsBandwidthTakes) {
  const SmallRun run;
  // Written once by the host and read once by the DMA: twice 16 KiB at the slice's bandwidth.
  const base::SimTime once = base::transfer_time(16_KiB, run.spec.cube.hbm.slice_bandwidth);
  const auto extent = run.activity.extent();
  ASSERT_TRUE(extent.has_value());
  EXPECT_EQ(run.activity.busy_time("sip0/cube1/hbm2", extent->start, extent->end), 2 * once);
  EXPECT_EQ(run.activity.busy_time("sip0/cube1/hbm2", run.launch_start, run.launch_end), once);
}

TEST(ActivityRun, TheLaunchIsBoundByItsDmaAndTheSliceItReads) {
  const SmallRun run;
  const auto busiest = run.activity.busiest_by_kind(run.launch_start, run.launch_end);
  ASSERT_EQ(busiest.size(), 3u);
  EXPECT_EQ(busiest[0].resource, "DMA engine (sip 0, cube 1, pe 1)");
  EXPECT_EQ(busiest[2].resource, "HBM slice (sip 0, cube 1, slice 2)");
  for (const Busiest& b : busiest) {
    EXPECT_GT(b.utilization, 0.0) << b.resource;
    EXPECT_LE(b.utilization, 1.0) << b.resource;
  }
}

// A kernel that looks up kPages cold pages one after another (each waits for its walk), then
// copies one page by DMA: the MMU's walker is busy kPages walks of the launch, the DMA engine one
// copy, so the launch is bound by the MMU.
TEST(ActivityRun, ALaunchWaitingOnPageWalksIsBoundByTheMmu) {
  constexpr int kPages = 16;
  const topo::TopologySpec spec =
      topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_small.yaml");
  const base::Bytes page = spec.cube.pe.mmu.page_size;
  ActivityRecorder activity;
  sim::Engine engine;
  engine.set_trace_sink(&activity);
  hw::System system(engine, spec);
  const topo::PeCoord pe{0, 1, 1};
  const PhysAddr hbm = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0);
  const mem::VirtAddr va(0x40000000);
  system.pe(pe).mmu().map(va, hbm, page * kPages);
  const base::SimTime start = engine.now();
  system.wait(system.submit(
      hw::KernelLaunch{"walk_and_copy", hw::Targets::pe(pe), [&](sim::Process& p, hw::Pe& on) {
                         for (int i = 0; i < kPages; ++i)
                           p.wait_until(on.mmu().translate(va + page * i).ready);
                         on.dma_copy(p, hbm, PhysAddr::encode(MemoryId::tcm(pe), 0), page);
                       }}));
  const base::SimTime end = engine.now();
  system.flush_trace();
  EXPECT_EQ(activity.busy_time("sip0/cube1/pe1/mmu", start, end),
            kPages * spec.cube.pe.mmu.tlb_miss_latency);
  const auto bound = bound_by(activity.busiest_by_kind(start, end));
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(bound->resource, "MMU (sip 0, cube 1, pe 1)");
  EXPECT_EQ(bound->track, "sip0/cube1/pe1/mmu");
  EXPECT_GT(bound->utilization, activity.busy_time("sip0/cube1/pe1/dma", start, end).ps() /
                                    static_cast<double>((end - start).ps()));
}

}  // namespace
}  // namespace kernbench::report
