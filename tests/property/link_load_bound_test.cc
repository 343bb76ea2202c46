// The link-load bound on cases worked out by hand, and the textbook traffic against the schedules
// the algorithms build (the same bytes between the same ranks, for every kind and op).
#include "link_load_bound.h"

#include <map>
#include <tuple>

#include <gtest/gtest.h>

#include "kernbench/ccl/algorithm_registry.h"
#include "kernbench/ccl/algorithm_schedules.h"
#include "kernbench/hw/system.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::property {
namespace {

using ccl::CollectiveOp;

// Four cubes in a line, one PE each; mesh links of 100 GB/s, everything else 1000 GB/s, so the
// busiest mesh link sets the bound.
struct Line {
  sim::Engine engine;
  hw::System system{engine, topo::default_topology({
                                "sip.cube_mesh.w=4",
                                "sip.cube_mesh.h=1",
                                "system.sips.cubes_per_sip=4",
                                "cube.pe_layout.corners=1",
                                "cube.pe_layout.pe_per_corner=1",
                                "sip.cube_mesh.link.bandwidth=100 GB/s",
                                "cube.intra_cube_link.bandwidth=1000 GB/s",
                                "cube.pe_template.components.pe_tcm.attrs.bandwidth=1000 GB/s",
                            })};
  ccl::InstallPlan plan(const std::string& kind) {
    ccl::AlgorithmEntry e;
    e.name = "line";
    e.kind = kind;
    e.world_size = 4;
    e.mapping = ccl::RankMapping::cube_major;
    e.chunk_size = base::Bytes(64 * 1024);
    return ccl::default_algorithm_registry().plan(e, system.spec());
  }
  // Every rank reads and receives in its own TCM.
  RankMemories tcms() {
    RankMemories m;
    for (int c = 0; c < 4; ++c) {
      for (auto* v : {&m.source, &m.receive, &m.data}) v->push_back(mem::MemoryId::tcm({0, c, 0}));
      m.pes.push_back({0, c, 0});
    }
    return m;
  }
};

constexpr std::uint64_t kMiB = 1024 * 1024;

// Recursive doubling on 0-1-2-3 (n = 1 MiB per rank): distance 1 moves n/4 each way, distance 2
// moves n/2 (0 -> 2 and 1 -> 3 both cross the link 1 -> 2): that link carries n = 1 MiB, at
// 100 GB/s 10485.76 ns. A TCM port carries 3n/4 out and 3n/4 in, at 1000 GB/s far less.
TEST(LinkLoadBound, HalvingDoublingAllGatherOnALine) {
  Line line;
  const auto plan = line.plan("halving_doubling");
  const auto sends = textbook_traffic(plan, CollectiveOp::all_gather, kMiB / 4, 0);
  const LinkLoad load = link_load(line.system.fabric(), sends, line.tcms(), 4);
  EXPECT_EQ(load.bound, base::SimTime::from_ps(10'485'760));
  ASSERT_NE(load.busiest, nullptr);
  EXPECT_EQ(load.busiest->kind(), hw::ChannelKind::mesh_link);
  EXPECT_EQ(load.bytes.at(load.busiest), kMiB);
}

// A ring all-reduce 0 -> 1 -> 2 -> 3 -> 0: each ring edge carries 2(p-1)/p n = 1.5 MiB, and the
// closing edge 3 -> 0 crosses three x- links, each of which carries only it: 1.5 MiB at 100 GB/s
// is 15728.64 ns.
TEST(LinkLoadBound, RingAllReduceOnALine) {
  Line line;
  const auto plan = line.plan("ring");
  const auto sends = textbook_traffic(plan, CollectiveOp::all_reduce, kMiB / 4, 0);
  const LinkLoad load = link_load(line.system.fabric(), sends, line.tcms(), 4);
  EXPECT_EQ(load.bound, base::SimTime::from_ps(15'728'640));
  int mesh_links_at_the_bound = 0;
  for (const auto& [channel, bytes] : load.bytes)
    if (channel->kind() == hw::ChannelKind::mesh_link) {
      EXPECT_EQ(bytes, 3 * kMiB / 2) << channel->track();
      ++mesh_links_at_the_bound;
    }
  EXPECT_EQ(mesh_links_at_the_bound, 6);  // three x+ (one ring edge each), three x- (3 -> 0)
}

// Two PEs of one cube reduce-scatter n = 1 MiB, data in their own HBM slices (10 GB/s, all else
// 1000 GB/s), receive buffers in their TCMs: each sends n/2 from its slice, and reducing the n/2 it
// receives reads n/2 of its data and writes n/2 back. A slice's port carries 1.5 MiB (157286.4 ns),
// or 0.5 MiB (52428.8 ns) without the reduction's traffic.
TEST(LinkLoadBound, ReductionsCostTheirMemoryTraffic) {
  sim::Engine engine;
  hw::System system(engine, topo::default_topology({
                                "sip.cube_mesh.w=1",
                                "sip.cube_mesh.h=1",
                                "system.sips.cubes_per_sip=1",
                                "cube.pe_layout.corners=1",
                                "cube.pe_layout.pe_per_corner=2",
                                "cube.memory_map.hbm_slices_per_cube=2",
                                "cube.memory_map.hbm_slice_bandwidth=10 GB/s",
                                "cube.intra_cube_link.bandwidth=1000 GB/s",
                                "cube.pe_template.components.pe_tcm.attrs.bandwidth=1000 GB/s",
                            }));
  ccl::AlgorithmEntry e;
  e.name = "pair";
  e.kind = "ring";
  e.world_size = 2;
  e.chunk_size = base::Bytes(64 * 1024);
  const auto plan = ccl::default_algorithm_registry().plan(e, system.spec());
  RankMemories m;
  for (int pe = 0; pe < 2; ++pe) {
    m.source.push_back(mem::MemoryId::hbm_slice({0, 0}, pe));
    m.data.push_back(mem::MemoryId::hbm_slice({0, 0}, pe));
    m.receive.push_back(mem::MemoryId::tcm({0, 0, pe}));
    m.pes.push_back({0, 0, pe});
  }
  const auto sends = textbook_traffic(plan, CollectiveOp::reduce_scatter, kMiB / 4, 0);
  const LinkLoad with = link_load(system.fabric(), sends, m, 4);
  EXPECT_EQ(with.bound, base::SimTime::from_ps(157'286'400));
  ASSERT_NE(with.busiest, nullptr);
  EXPECT_EQ(with.busiest->kind(), hw::ChannelKind::memory);
  EXPECT_EQ(link_load(system.fabric(), sends, m, 4, false).bound,
            base::SimTime::from_ps(52'428'800));
}

// A chain 0 -> 1 -> 2 (a broadcast down a tree of one child each): rank 1 receives in step 0 and
// forwards in step 1, so in one step no channel is crossed twice; in messages of a quarter of a
// send, rank 1 forwards the first while the rest land in its TCM, which both steps then cross.
TEST(LinkLoadBound, APipelinedForwardCrossesTheMemoryItsMessagesLandIn) {
  Line line;
  const std::vector<Send> chain{{0, 1, 0, kMiB / 4, false}, {1, 2, 1, kMiB / 4, false}};
  EXPECT_EQ(link_load(line.system.fabric(), chain, line.tcms(), 4).most_crossings, 1);
  EXPECT_EQ(link_load(line.system.fabric(), chain, line.tcms(), 4, true, kMiB).most_crossings, 1);
  EXPECT_EQ(link_load(line.system.fabric(), chain, line.tcms(), 4, true, kMiB / 4).most_crossings,
            2);
}

// Per (from, to, reduce): elements sent.
using Matrix = std::map<std::tuple<int, int, bool>, std::uint64_t>;

Matrix matrix_of(const std::vector<Send>& sends) {
  Matrix m;
  for (const Send& s : sends) m[{s.from, s.to, s.reduce}] += s.elements;
  return m;
}

Matrix matrix_of(const ccl::Schedule& schedule) {
  Matrix m;
  for (const ccl::ScheduleOp& op : schedule.ops)
    if (op.from != op.to) m[{op.from, op.to, op.reduce}] += op.count;
  return m;
}

// The textbook traffic is what every algorithm's schedule sends, pair by pair, on machines with
// several SIPs, cubes and PEs (partial cubes and scattered placements included), for every op and
// a few roots.
TEST(LinkLoadBound, TextbookTrafficIsWhatTheSchedulesSend) {
  const auto registry = ccl::default_algorithm_registry();
  const topo::TopologySpec spec =
      topo::default_topology({"system.sips.count=2", "sip.cube_mesh.w=3", "sip.cube_mesh.h=2",
                              "system.sips.cubes_per_sip=6", "cube.pe_layout.corners=2",
                              "cube.pe_layout.pe_per_corner=2"});
  for (const std::string kind : {"ring", "tree", "mesh_2d", "halving_doubling", "hierarchical"})
    for (const int world : {2, 4, 6, 7, 8, 16, 30, 48})
      for (const auto mapping : {ccl::RankMapping::pe_major, ccl::RankMapping::cube_major,
                                 ccl::RankMapping::explicit_list}) {
        if (kind == "halving_doubling" && (world & (world - 1)) != 0) continue;
        ccl::AlgorithmEntry e;
        e.name = "check";
        e.kind = kind;
        e.world_size = world;
        e.mapping = mapping;
        for (int i = 0; mapping == ccl::RankMapping::explicit_list && i < world; ++i) {
          const int pe = (7 * i + 3) % spec.total_pes();  // scattered over SIPs, cubes and PEs
          e.ranks.push_back({pe / spec.pes_per_sip(), pe % spec.pes_per_sip() / spec.pes_per_cube(),
                             pe % spec.pes_per_cube()});
        }
        e.fanout = world % 3 + 2;
        e.chunk_size = base::Bytes(4096);
        const ccl::InstallPlan plan = registry.plan(e, spec);
        for (const auto op :
             {CollectiveOp::all_reduce, CollectiveOp::reduce_scatter, CollectiveOp::all_gather,
              CollectiveOp::broadcast, CollectiveOp::reduce, CollectiveOp::all_to_all})
          for (const int root : {0, world - 1}) {
            std::uint64_t count = 1000 * static_cast<std::uint64_t>(world) + 7 * (world % 2);
            if (op == CollectiveOp::all_to_all) count -= count % static_cast<std::uint64_t>(world);
            EXPECT_EQ(matrix_of(textbook_traffic(plan, op, count, root)),
                      matrix_of(ccl::make_schedule(plan, op, count, root)))
                << kind << " " << ccl::name(op) << " world " << world << " root " << root << " "
                << ccl::name(mapping);
          }
      }
}

// Every level of the hierarchy is rooted at the leader the level above uses: with rank 0 in cube 1
// and rank 1 (the SIP leader, its SIP's lowest cube's leader) in cube 0, the mesh level's tree
// grows from rank 1, and no rank's sends are dropped (they were when it grew from rank 0).
TEST(LinkLoadBound, HierarchicalScheduleSendsTheTextbookTrafficOnAnyPlacement) {
  const topo::TopologySpec spec =
      topo::default_topology({"system.sips.count=2", "sip.cube_mesh.w=2", "sip.cube_mesh.h=1",
                              "system.sips.cubes_per_sip=2", "cube.pe_layout.corners=1",
                              "cube.pe_layout.pe_per_corner=2"});
  ccl::AlgorithmEntry e;
  e.name = "scattered";
  e.kind = "hierarchical";
  e.world_size = 3;
  e.mapping = ccl::RankMapping::explicit_list;
  e.ranks = {{0, 1, 0}, {0, 0, 0}, {1, 0, 0}};
  e.chunk_size = base::Bytes(4096);
  const ccl::InstallPlan plan = ccl::default_algorithm_registry().plan(e, spec);
  for (const auto op :
       {CollectiveOp::all_reduce, CollectiveOp::reduce_scatter, CollectiveOp::all_gather})
    EXPECT_EQ(matrix_of(textbook_traffic(plan, op, 3000, 0)),
              matrix_of(ccl::make_schedule(plan, op, 3000, 0)))
        << ccl::name(op);
}

}  // namespace
}  // namespace kernbench::property
