#include "kernbench/topo/coord_index.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

TEST(CoordIndex, PeIndexRoundTripsOverTheWholeMachine) {
  const TopologySpec s = default_topology({"system.sips.count=3"});
  ASSERT_EQ(s.total_pes(), 3 * 16 * 8);
  int expected = 0;
  for (int sip = 0; sip < 3; ++sip) {
    for (int cube = 0; cube < 16; ++cube) {
      for (int pe = 0; pe < 8; ++pe) {
        const PeCoord c{sip, cube, pe};
        EXPECT_EQ(pe_index(s, c), expected);  // sip-major, then cube, then PE
        EXPECT_EQ(pe_coord(s, expected), c);
        ++expected;
      }
    }
  }
}

TEST(CoordIndex, CubeIndexAndMeshPosition) {
  const TopologySpec s = default_topology({"system.sips.count=2", "sip.cube_mesh.w=4",
                                           "sip.cube_mesh.h=2", "system.sips.cubes_per_sip=8"});
  EXPECT_EQ(cube_index(s, {1, 3}), 11);
  EXPECT_EQ(cube_coord(s, 11), (CubeCoord{1, 3}));
  EXPECT_EQ(mesh_pos(s, 6), (MeshPos{2, 1}));
  for (int cube = 0; cube < 8; ++cube) EXPECT_EQ(cube_at(s, mesh_pos(s, cube)), cube);
}

TEST(CoordIndex, Formatting) {
  EXPECT_EQ(fmt::format("{}", PeCoord{1, 2, 3}), "(sip 1, cube 2, pe 3)");
  EXPECT_EQ(fmt::format("{}", CubeCoord{0, 5}), "(sip 0, cube 5)");
  EXPECT_EQ(fmt::format("{}", MeshPos{2, 1}), "(2, 1)");
}

TEST(CoordIndexErrors, OutsideTheMachine) {
  const TopologySpec s = default_topology();
  EXPECT_FALSE(contains(s, PeCoord{0, 16, 0}));
  EXPECT_TRUE(contains(s, PeCoord{0, 15, 7}));
  try {
    pe_index(s, {0, 16, 0});
    FAIL();
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(),
                 "PE (sip 0, cube 16, pe 0) is outside the machine (1 SIP(s) x 16 cubes x 8 PEs)");
  }
  try {
    pe_coord(s, 128);
    FAIL();
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(),
                 "PE index 128 is outside the machine (1 SIP(s) x 16 cubes x 8 PEs: 0..127)");
  }
  EXPECT_THROW(cube_coord(s, -1), base::NotFoundError);
  EXPECT_THROW(cube_index(s, {1, 0}), base::NotFoundError);
  EXPECT_THROW(mesh_pos(s, 16), base::NotFoundError);
  try {
    cube_at(s, {4, 0});
    FAIL();
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(), "mesh position (4, 0) is outside the 4 x 4 mesh");
  }
}

}  // namespace
}  // namespace kernbench::topo
