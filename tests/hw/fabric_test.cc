#include "kernbench/hw/fabric.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::hw {
namespace {

using mem::MemoryId;

std::vector<std::string> tracks(const Route& r) {
  std::vector<std::string> out;
  for (const Channel* c : r.stages) out.push_back(c->track());
  return out;
}

class FabricDefault : public ::testing::Test {
 protected:
  topo::TopologySpec spec = topo::default_topology();
  Fabric fabric{spec};
};

TEST_F(FabricDefault, PeToItsOwnTcmUsesNoLink) {
  const Route r = fabric.route(Location::pe({0, 0, 3}), Location::memory(MemoryId::tcm({0, 0, 3})));
  EXPECT_EQ(r.hops(), 0);
  EXPECT_EQ(tracks(r), (std::vector<std::string>{"sip0/cube0/pe3/tcm"}));
}

TEST_F(FabricDefault, PeToHomeSliceAtItsCorner) {
  // PE 1 sits at corner nw with slices 0 and 1 (8 slices over 4 corners).
  const Route r =
      fabric.route(Location::pe({0, 2, 1}), Location::memory(MemoryId::hbm_slice({0, 2}, 1)));
  EXPECT_EQ(tracks(r), (std::vector<std::string>{"sip0/cube2/pe1/port.out", "sip0/cube2/hbm1"}));
  EXPECT_EQ(r.hops(), 1);
}

TEST_F(FabricDefault, SliceToPeAcrossCornersGoesThroughTheRouter) {
  const Route r =
      fabric.route(Location::memory(MemoryId::hbm_slice({0, 0}, 7)), Location::pe({0, 0, 0}));
  EXPECT_EQ(tracks(r), (std::vector<std::string>{"sip0/cube0/hbm7", "sip0/cube0/se.out",
                                                 "sip0/cube0/nw.in", "sip0/cube0/pe0/port.in"}));
}

TEST_F(FabricDefault, MeshRoutesXThenY) {
  // Cube 0 is (0,0), cube 15 is (3,3): three x+ hops, then three y+ hops.
  const Route r =
      fabric.route(Location::pe({0, 0, 0}), Location::memory(MemoryId::hbm_slice({0, 15}, 0)));
  EXPECT_EQ(r.hops(), 2 + 6 + 1);
  const auto t = tracks(r);
  EXPECT_EQ(t[2], "sip0/cube0/mesh.x+");
  EXPECT_EQ(t[4], "sip0/cube2/mesh.x+");
  EXPECT_EQ(t[5], "sip0/cube3/mesh.y+");
  EXPECT_EQ(t[7], "sip0/cube11/mesh.y+");
  // Back the other way: x first again (x-, then y-).
  const Route back =
      fabric.route(Location::memory(MemoryId::hbm_slice({0, 15}, 0)), Location::pe({0, 0, 0}));
  EXPECT_EQ(tracks(back)[2], "sip0/cube15/mesh.x-");
  EXPECT_EQ(tracks(back)[5], "sip0/cube12/mesh.y-");
}

TEST_F(FabricDefault, HostEntersAtCubeZero) {
  const Route r = fabric.route(Location::host(0), Location::m_cpu({0, 5}));  // cube 5 = (1,1)
  EXPECT_EQ(tracks(r),
            (std::vector<std::string>{"sip0/host.in", "sip0/cube0/mesh.x+", "sip0/cube1/mesh.y+"}));
}

TEST_F(FabricDefault, SameCornerPesUseTwoPorts) {
  const Route r = fabric.route(Location::pe({0, 0, 0}), Location::pe({0, 0, 1}));
  EXPECT_EQ(tracks(r),
            (std::vector<std::string>{"sip0/cube0/pe0/port.out", "sip0/cube0/pe1/port.in"}));
}

TEST(FabricMultiSip, RingTakesTheShorterWay) {
  const auto spec = topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml");
  ASSERT_EQ(spec.system.sip_count, 4);
  Fabric fabric(spec);
  const auto from = Location::pe({0, 0, 0});
  // sip 0 -> 2: two hops forward (ties go forward); sip 0 -> 3: one hop back.
  const Route two = fabric.route(from, Location::memory(MemoryId::hbm_slice({2, 0}, 0)));
  EXPECT_EQ(two.hops(), 2 + 2 + 1);
  EXPECT_EQ(tracks(two)[2], "sip0/ring.next");
  EXPECT_EQ(tracks(two)[3], "sip1/ring.next");
  const Route back = fabric.route(from, Location::memory(MemoryId::hbm_slice({3, 0}, 0)));
  EXPECT_EQ(back.hops(), 2 + 1 + 1);
  EXPECT_EQ(tracks(back)[2], "sip0/ring.prev");
  // Cube 5 of sip 1 to cube 6 of sip 3: mesh to cube 0, two ring hops, mesh to cube 6 = (2,1).
  const Route far = fabric.route(Location::pe({1, 5, 7}), Location::pe({3, 6, 0}));
  EXPECT_EQ(far.hops(), 2 + 2 + 2 + 3 + 2);
}

TEST(FabricMultiSip, FullyConnectedAndSwitch) {
  auto spec = topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml",
                                       {"system.sips.interconnect=fully_connected"});
  Fabric full(spec);
  const Route r = full.route(Location::host(1), Location::host(3));
  EXPECT_EQ(tracks(r), (std::vector<std::string>{"sip1/host.in", "sip1/to.sip3", "sip3/host.out"}));
  spec = topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_multi_sip.yaml",
                                  {"system.sips.interconnect=switch"});
  Fabric sw(spec);
  const Route s = sw.route(Location::m_cpu({0, 0}), Location::m_cpu({2, 0}));
  EXPECT_EQ(tracks(s), (std::vector<std::string>{"sip0/switch.out", "sip2/switch.in"}));
}

TEST(FabricErrors, UnknownLocationsAreNamed) {
  const auto spec = topo::default_topology();
  Fabric fabric(spec);
  try {
    fabric.route(Location::pe({0, 0, 0}), Location::pe({0, 16, 0}));
    FAIL() << "no error";
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(), "PE (sip 0, cube 16, pe 0): no such cube in this machine");
  }
  EXPECT_THROW(fabric.route(Location::pe({0, 0, 8}), Location::host(0)), base::NotFoundError);
  EXPECT_THROW(fabric.memory_port(MemoryId::hbm_slice({0, 0}, 8)), base::NotFoundError);
}

}  // namespace
}  // namespace kernbench::hw
