// A collective's work lands on the PE tracks as a kernel's does (issue 17 point 1): each rank's
// DMA engine carries its messages, each reducing rank's vector unit its reductions, its IPCQ track
// the descriptors and returned credits; "bound by" can name a DMA engine or a vector unit; and
// recording changes no simulated time. Both executors: the ring's and the schedules' (tree).
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/collective_bench.h"
#include "kernbench/report/activity_recorder.h"
#include "kernbench/report/trace_filter.h"
#include "kernbench/sim/recording_trace_sink.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::report {
namespace {

struct TracedCollective {
  ccl::InstallPlan plan;
  ActivityRecorder activity;
  sim::RecordingTraceSink records;
  ccl::BenchRow traced, untraced;

  explicit TracedCollective(std::string_view entry) : plan(plan_of(entry)) {
    const std::vector<std::uint64_t> sizes{1u << 20};
    ccl::SweepTrace trace{{&activity, &records}, base::SimTime::zero()};
    traced =
        ccl::run_collective_bench(spec(), plan, ccl::CollectiveOp::all_reduce, base::DType::f32,
                                  base::CombineOp::sum, sizes, false, 0, &trace)
            .front();
    untraced = ccl::run_collective_bench(spec(), plan, ccl::CollectiveOp::all_reduce,
                                         base::DType::f32, base::CombineOp::sum, sizes, false)
                   .front();
  }
  static const topo::TopologySpec& spec() {
    static const topo::TopologySpec s = topo::default_topology();
    return s;
  }
  static ccl::InstallPlan plan_of(std::string_view entry) {
    static const auto registry = ccl::default_algorithm_registry();
    return registry.plan(ccl::default_ccl_config(registry.kinds()).find(entry), spec());
  }
  // The PEs ("sipS/cubeC/peP") with a busy track of `kind`.
  std::set<std::string> pes_with(std::string_view kind) const {
    std::set<std::string> pes;
    for (const sim::TrackId id : activity.track_ids()) {
      const std::string& track = activity.info(id).name;
      if (unit_kind(activity.info(id).facts) == kind && !activity.intervals(id).empty())
        pes.insert(track.substr(0, track.rfind('/')));
    }
    return pes;
  }
  std::set<std::string> rank_pes() const {
    std::set<std::string> pes;
    for (const topo::PeCoord& pe : plan.ranks)
      pes.insert("sip" + std::to_string(pe.sip) + "/cube" + std::to_string(pe.cube) + "/pe" +
                 std::to_string(pe.pe));
    return pes;
  }
};

TEST(CollectiveActivity, RingRanksUseTheirDmaVectorAndIpcq) {
  const TracedCollective run("ring_tcm_8");
  EXPECT_EQ(run.traced.time, run.untraced.time);
  EXPECT_EQ(run.pes_with("dma"), run.rank_pes());
  EXPECT_EQ(run.pes_with("vector"), run.rank_pes());  // every ring rank reduces a segment
  EXPECT_EQ(run.pes_with("ipcq"), run.rank_pes());
  const auto extent = run.activity.extent();
  ASSERT_TRUE(extent.has_value());
  const auto unit = run.activity.busiest(ResourceKind::unit, extent->start, extent->end);
  ASSERT_TRUE(unit.has_value());
  EXPECT_TRUE(unit->resource.starts_with("DMA engine") || unit->resource.starts_with("vector unit"))
      << unit->resource;
}

TEST(CollectiveActivity, SpansCarryTheirBytesElementsAndPeers) {
  const TracedCollective run("ring_tcm_8");
  std::uint64_t sent = 0, reduced = 0, descriptors = 0, credits = 0;
  const auto unit_kind = [&](const std::string& track) {
    return report::unit_kind(run.records.tracks()[*run.records.tracks().find(track)].facts);
  };
  for (const auto& r : run.records.records()) {
    const auto arg = [&](std::string_view key) {
      for (const auto& [k, v] : r.args)
        if (k == key) return std::stoull(v);
      ADD_FAILURE() << r.track << " " << r.name << " has no " << key;
      return 0ull;
    };
    if (r.name == "ipcq send") {
      EXPECT_EQ(unit_kind(r.track), "dma");
      sent += arg("bytes");
      EXPECT_LT(arg("to_rank"), 8u);
    } else if (r.name == "reduce") {
      EXPECT_EQ(unit_kind(r.track), "vector");
      reduced += arg("elements");
    } else if (r.name == "descriptor") {
      EXPECT_EQ(unit_kind(r.track), "ipcq");
      ++descriptors;
    } else if (r.name == "credit") {
      EXPECT_EQ(unit_kind(r.track), "ipcq");
      ++credits;
    } else {
      continue;
    }
    EXPECT_LE(r.start, r.end) << r.track << " " << r.name;
  }
  // A ring all-reduce of n bytes on p ranks sends 2(p-1)/p n per rank and reduces (p-1)/p of the
  // elements on each rank.
  constexpr std::uint64_t kBytes = 1u << 20, kRanks = 8;
  EXPECT_EQ(sent, kRanks * 2 * (kRanks - 1) * kBytes / kRanks);
  EXPECT_EQ(reduced, kRanks * (kRanks - 1) * (kBytes / 4) / kRanks);
  EXPECT_GT(descriptors, 0u);
  EXPECT_GT(credits, 0u);
}

// Every send flows to its arrival: one flow per message, from inside an "ipcq send" span on the
// sender's DMA track to the start of a "descriptor" span on another rank's PE's ipcq track.
TEST(CollectiveActivity, EverySendFlowsToItsArrival) {
  const TracedCollective run("ring_tcm_8");
  const auto& records = run.records.records();
  const auto holds = [&](const std::string& track, const char* name, base::SimTime at,
                         bool at_start) {
    return std::ranges::any_of(records, [&](const auto& r) {
      return r.track == track && r.name == name &&
             (at_start ? r.start == at : r.start <= at && at <= r.end);
    });
  };
  const auto pe_of = [](const std::string& track) { return track.substr(0, track.rfind('/')); };
  const auto& flows = run.records.flows();
  EXPECT_EQ(flows.size(), 8u * 2 * 7 * 2);  // 8 ranks x 2(p-1) steps x 2 chunks of 64 KiB
  for (const auto& f : flows) {
    EXPECT_TRUE(f.from_track.ends_with("/dma")) << f.from_track;
    EXPECT_TRUE(f.to_track.ends_with("/ipcq")) << f.to_track;
    EXPECT_NE(pe_of(f.from_track), pe_of(f.to_track)) << "a message to itself";
    EXPECT_LE(f.from, f.to);
    EXPECT_TRUE(holds(f.from_track, "ipcq send", f.from, false)) << f.from_track;
    EXPECT_TRUE(holds(f.to_track, "descriptor", f.to, true)) << f.to_track;
  }
}

TEST(CollectiveActivity, TreeRanksReduceOnTheirVectorUnits) {
  const TracedCollective run("tree_binary_7");
  EXPECT_EQ(run.traced.time, run.untraced.time);
  EXPECT_EQ(run.pes_with("dma"), run.rank_pes());  // every rank sends up or down the tree
  const std::set<std::string> reducing = run.pes_with("vector");
  EXPECT_FALSE(reducing.empty());
  for (const std::string& pe : reducing) EXPECT_TRUE(run.rank_pes().contains(pe)) << pe;
  EXPECT_LT(reducing.size(), run.rank_pes().size());  // leaves reduce nothing
}

}  // namespace
}  // namespace kernbench::report
