// Install plans computed by hand for every algorithm kind and mapping policy.
#include "kernbench/ccl/algorithm_registry.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::ccl {
namespace {

using Slots = std::vector<NeighborSlot>;

class Plans : public ::testing::Test {
 protected:
  AlgorithmRegistry registry = default_algorithm_registry();
  CclConfig config = default_ccl_config(registry.kinds());
  topo::TopologySpec spec = topo::default_topology();
  InstallPlan plan(std::string_view name) { return registry.plan(config.find(name), spec); }
};

TEST_F(Plans, RingOfTheEightPesOfCubeZero) {
  const InstallPlan p = plan("ring_tcm_8");
  ASSERT_EQ(p.world_size(), 8);
  for (int r = 0; r < 8; ++r)
    EXPECT_EQ(p.ranks[static_cast<std::size_t>(r)], (topo::PeCoord{0, 0, r}));
  EXPECT_EQ(p.tables[0], (Slots{{"ring.next", 1}, {"ring.prev", 7}}));
  EXPECT_EQ(p.tables[7], (Slots{{"ring.next", 0}, {"ring.prev", 6}}));
  EXPECT_EQ(p.buffer, mem::MemoryKind::tcm);
}

TEST_F(Plans, DefaultWorldSizeIsEveryPe) {
  const InstallPlan p = plan("ring_default_ws");
  EXPECT_EQ(p.world_size(), 128);
  EXPECT_EQ(p.ranks[127], (topo::PeCoord{0, 15, 7}));
}

TEST_F(Plans, TreeParentsAndChildren) {
  const InstallPlan p = plan("tree_binary_7");
  EXPECT_EQ(p.tables[0], (Slots{{"child0", 1}, {"child1", 2}}));
  EXPECT_EQ(p.tables[2], (Slots{{"parent", 0}, {"child0", 5}, {"child1", 6}}));
  EXPECT_EQ(p.tables[6], (Slots{{"parent", 2}}));
}

// fanout x rank passes 2^31 here (2^20 x 2048): a fanout of p - 1 or more is a star, every other
// rank a child of rank 0, and nothing wraps into children that are not there.
TEST_F(Plans, TreeWiderThanTheWorldIsAStar) {
  const auto machine = topo::default_topology({"system.sips.count=32"});  // 4096 PEs
  const auto wide = load_ccl_text("algorithms: {star: {kind: tree, fanout: 1048576}}", "c.yaml",
                                  registry.kinds());
  const InstallPlan p = registry.plan(wide.entries.front(), machine);
  ASSERT_EQ(p.world_size(), 4096);
  ASSERT_EQ(p.tables[0].size(), 4095u);
  EXPECT_EQ(p.tables[0].back(), (NeighborSlot{"child4094", 4095}));
  for (std::size_t r = 1; r < p.tables.size(); ++r)
    ASSERT_EQ(p.tables[r], (Slots{{"parent", 0}})) << r;
}

TEST_F(Plans, MeshTwoByTwoOnePePerCube) {
  const InstallPlan p = plan("mesh_2x2");
  // cube_major: rank r on PE 0 of cube r.
  for (int r = 0; r < 4; ++r)
    EXPECT_EQ(p.ranks[static_cast<std::size_t>(r)], (topo::PeCoord{0, r, 0}));
  // Rows {0,1}, {2,3}; columns {0,2}, {1,3}.
  EXPECT_EQ(p.tables[0],
            (Slots{{"row.next", 1}, {"row.prev", 1}, {"col.next", 2}, {"col.prev", 2}}));
  EXPECT_EQ(p.tables[3],
            (Slots{{"row.next", 2}, {"row.prev", 2}, {"col.next", 1}, {"col.prev", 1}}));
}

TEST_F(Plans, HalvingDoublingPartnersAreXorPowersOfTwo) {
  const InstallPlan p = plan("halving_doubling_8");
  EXPECT_EQ(p.tables[5], (Slots{{"step0", 4}, {"step1", 7}, {"step2", 1}}));
}

TEST_F(Plans, HierarchicalRingsPerCubeThenAcrossTheMesh) {
  const InstallPlan p = plan("multi_cube");
  ASSERT_EQ(p.world_size(), 128);
  // Rank 8 is PE 0 of cube 1: leader of its cube, so it has cube and mesh slots; no SIP ring on
  // a one-SIP machine.
  EXPECT_EQ(p.tables[8],
            (Slots{{"cube.next", 9}, {"cube.prev", 15}, {"mesh.next", 16}, {"mesh.prev", 0}}));
  EXPECT_EQ(p.tables[9], (Slots{{"cube.next", 10}, {"cube.prev", 8}}));
  const auto multi = topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml");
  const InstallPlan m = registry.plan(config.find("multi_cube"), multi);
  EXPECT_EQ(m.world_size(), 512);
  EXPECT_EQ(m.slot(128, "sips.next"), 4);  // rank 128 = PE 0 of cube 0 of SIP 1
  EXPECT_EQ(m.tables[128][5].rank, 0);     // sips.prev
}

// The leaders' ring takes one mesh link a step where the mesh has such a cycle: on 4 x 2 cubes
// 0 1 2 3 / 7 6 5 4; on 3 x 3 (none exists) a snake whose last step is longer.
TEST_F(Plans, HierarchicalLeadersRingFollowsTheMesh) {
  const auto leaders_ring = [&](int w, int h) {
    const auto s = topo::default_topology(
        {fmt::format("sip.cube_mesh.w={}", w), fmt::format("sip.cube_mesh.h={}", h),
         fmt::format("system.sips.cubes_per_sip={}", w * h), "cube.pe_layout.corners=1",
         "cube.pe_layout.pe_per_corner=1"});
    const auto config =
        load_ccl_text("algorithms: {h: {kind: hierarchical}}", "h.yaml", registry.kinds());
    const InstallPlan p = registry.plan(config.entries.front(), s);
    std::vector<int> ring{0};  // rank r is the one PE of cube r
    for (int r = p.tables[0][0].rank; r != 0; r = p.tables[static_cast<std::size_t>(r)][0].rank)
      ring.push_back(r);
    return ring;
  };
  EXPECT_EQ(leaders_ring(4, 2), (std::vector<int>{0, 1, 2, 3, 7, 6, 5, 4}));
  EXPECT_EQ(leaders_ring(2, 3), (std::vector<int>{0, 2, 4, 5, 3, 1}));
  EXPECT_EQ(leaders_ring(3, 3), (std::vector<int>{0, 1, 2, 5, 4, 3, 6, 7, 8}));
}

TEST_F(Plans, IpcqInitCarriesThePes) {
  const InstallPlan p = plan("mesh_2x2");
  const hw::IpcqInit init = p.to_ipcq_init();
  ASSERT_EQ(init.tables.size(), 4u);
  EXPECT_EQ(init.tables[1].pe, (topo::PeCoord{0, 1, 0}));
  EXPECT_EQ(init.tables[1].neighbors,
            (std::vector<topo::PeCoord>{{0, 0, 0}, {0, 0, 0}, {0, 3, 0}, {0, 3, 0}}));
}

TEST_F(Plans, FormatShowsRanksAndSlots) {
  const std::string text = format_plan(plan("tree_binary_7"));
  EXPECT_NE(
      text.find("ccl algorithm tree_binary_7: kind tree, world size 7, buffer TCM, chunk 64 KiB"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("  rank   2 on PE (sip 0, cube 0, pe 2)\n      slot 0 parent     -> rank   0 "
                      "(sip 0, cube 0, pe 0)\n"),
            std::string::npos)
      << text;
}

TEST_F(Plans, RegisteringAKindAgainReplacesIt) {
  const auto before = registry.kinds().size();
  registry.add(make_ring_algorithm());
  EXPECT_EQ(registry.kinds().size(), before);
}

TEST(PlanErrors, WorldThatDoesNotFitOrSuit) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(R"(
algorithms:
  big: {kind: ring, world_size: 200}
  odd: {kind: halving_doubling, world_size: 6}
  dup: {kind: ring, ranks: [[0, 0, 0], [0, 0, 0]]}
  far: {kind: ring, ranks: [[0, 0, 0], [1, 0, 0]]}
  wide: {kind: mesh_2d, mesh: {rows: 4100, cols: 1047553}}
)",
                                    "c.yaml", registry.kinds());
  const auto spec = topo::default_topology();
  const auto message = [&](const char* name) {
    try {
      registry.plan(config.find(name), spec);
    } catch (const base::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("big"),
            "c.yaml:3:3: algorithms.big: world size 200 does not fit this machine: it has 128 PEs "
            "(1 SIP(s) x 16 cubes x 8 PEs)");
  EXPECT_EQ(message("odd"),
            "c.yaml:4:3: algorithms.odd: halving_doubling needs a power-of-two world size, found "
            "world size 6");
  EXPECT_EQ(message("dup"), "c.yaml:5:3: algorithms.dup: PE (sip 0, cube 0, pe 0) is listed twice");
  EXPECT_EQ(message("far"),
            "c.yaml:6:3: algorithms.far: rank on PE (sip 1, cube 0, pe 0), which this machine does "
            "not have");
  // 4100 x 1047553 is 4 in 32 bits; it is not this machine's 128 PEs.
  EXPECT_EQ(message("wide"),
            "c.yaml:7:3: algorithms.wide: mesh_2d needs rows x cols = 4100 x 1047553, found world "
            "size 128");
}

// Every rank's receive buffer is allocated as a run would: eight of 16 MiB (1 MiB x IPCQ depth 8
// x a ring's 2 slots) fit no 32 MiB SRAM of a cube, 24 MiB (a tree's 3 slots) no 12 MiB of free
// TCM; the 64 KiB default chunk fits.
TEST(PlanErrors, ReceiveBuffersThatDoNotFitTheirMemory) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(R"(
algorithms:
  sram: {kind: ring, world_size: 8, buffer: sram, chunk_size: "1 MiB"}
  tcm: {kind: tree, world_size: 8, chunk_size: "1 MiB"}
  fits: {kind: tree, world_size: 8}
  huge: {kind: ring, world_size: 8, chunk_size: "2097152 TiB"}
)",
                                    "c.yaml", registry.kinds());
  const auto spec = topo::default_topology();
  const auto message = [&](const char* name) {
    const AlgorithmEntry& e = config.find(name);
    try {
      check_receive_buffers(e, registry.plan(e, spec), spec);
    } catch (const base::ConfigError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("sram"),
            "c.yaml:3:3: algorithms.sram: receive buffers of 16 MiB per rank (chunk_size 1 MiB) do "
            "not fit in SRAM: out of memory: SRAM of cube (sip 0, cube 0): asked 16 MiB, free 0 B, "
            "largest free block 0 B");
  EXPECT_EQ(message("tcm"),
            "c.yaml:4:3: algorithms.tcm: receive buffers of 24 MiB per rank (chunk_size 1 MiB) do "
            "not fit in TCM: out of memory: TCM of PE (sip 0, cube 0, pe 0): asked 24 MiB, free 12 "
            "MiB, largest free block 12 MiB");
  EXPECT_EQ(message("fits"), "no error");
  // 2^61 B x IPCQ depth 8 is 0 in 64 bits: the chunk is refused before any product of it.
  EXPECT_EQ(message("huge"),
            "c.yaml:6:3: algorithms.huge: chunk_size 2048 PiB is larger than a whole TCM (16 MiB)");
}

// A chunk that fits its memory times an IPCQ depth near 2^31 times a tree's 3 slots passes 64
// bits (4 GiB x 2147483647 x 3 is about 1.5 x 2^64): named as such, never wrapped.
TEST(PlanErrors, ReceiveBuffersPastSixtyFourBits) {
  const auto registry = default_algorithm_registry();
  const auto config = load_ccl_text(R"(
algorithms:
  deep: {kind: tree, world_size: 8, buffer: hbm, chunk_size: "4 GiB"}
)",
                                    "c.yaml", registry.kinds());
  const auto spec =
      topo::default_topology({"cube.pe_template.components.pe_ipcq.attrs.depth=2147483647"});
  const AlgorithmEntry& e = config.find("deep");
  try {
    check_receive_buffers(e, registry.plan(e, spec), spec);
    FAIL() << "no error";
  } catch (const base::ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "c.yaml:3:3: algorithms.deep: receive buffers per rank (chunk_size 4 GiB times "
                 "IPCQ depth 2147483647 times the slots of its widest neighbour table) pass 2^64 "
                 "bytes");
  }
}

}  // namespace
}  // namespace kernbench::ccl
