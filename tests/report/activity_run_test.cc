// The activity recorder fed by a real run of the hardware model (a host write to an HBM slice,
// then a kernel that copies it to TCM by DMA and computes): every track hw writes has a kind and a
// name, busy times match the spec's bandwidths, and "bound by" names the resources that worked.
#include <gtest/gtest.h>

#include "kernbench/hw/system.h"
#include "kernbench/report/activity_recorder.h"
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
  for (const std::string& track : run.activity.tracks()) {
    const std::string_view kind = unit_kind(track);
    EXPECT_NE(kind, "other") << track;
    if (kind != "core" && kind != "wait" && kind != "requests") {
      EXPECT_TRUE(describe_track(track).has_value()) << track;
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

}  // namespace
}  // namespace kernbench::report
