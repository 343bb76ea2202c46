#include "kernbench/topo/home_slices.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

TopologySpec with_slices(int slices) {
  return default_topology({fmt::format("cube.memory_map.hbm_slices_per_cube={}", slices)});
}

TEST(HomeSlices, OneEachWhenSlicesEqualPes) {
  const TopologySpec s = with_slices(8);
  for (int pe = 0; pe < 8; ++pe) {
    EXPECT_EQ(home_hbm_slices(s, pe), (HomeSlices{pe, 1}));
    EXPECT_EQ(slice_corner(s, pe), pe_corner(s, pe));
  }
  EXPECT_EQ(pe_corner(s, 0), Corner::nw);
  EXPECT_EQ(pe_corner(s, 3), Corner::ne);
  EXPECT_EQ(pe_corner(s, 7), Corner::se);
}

TEST(HomeSlices, SplitWhenMoreSlices) {
  const TopologySpec s = with_slices(16);
  for (int pe = 0; pe < 8; ++pe) {
    EXPECT_EQ(home_hbm_slices(s, pe), (HomeSlices{2 * pe, 2}));
    EXPECT_EQ(slice_corner(s, 2 * pe), pe_corner(s, pe));
    EXPECT_EQ(slice_corner(s, 2 * pe + 1), pe_corner(s, pe));
  }
}

TEST(HomeSlices, SharedWhenFewerSlices) {
  const TopologySpec s = with_slices(4);
  for (int pe = 0; pe < 8; ++pe) {
    EXPECT_EQ(home_hbm_slices(s, pe), (HomeSlices{pe / 2, 1}));
    EXPECT_EQ(slice_corner(s, pe / 2), pe_corner(s, pe));  // one slice per corner
  }
}

// An uneven ratio still gives every PE at least one slice and covers every slice.
TEST(HomeSlices, UnevenRatioCoversEverySlice) {
  const TopologySpec s = with_slices(6);
  std::vector<int> owners(6, 0);
  for (int pe = 0; pe < 8; ++pe) {
    const HomeSlices h = home_hbm_slices(s, pe);
    EXPECT_GE(h.count, 1);
    for (int i = h.first; i < h.first + h.count; ++i) ++owners[static_cast<std::size_t>(i)];
  }
  for (int n : owners) EXPECT_GE(n, 1);
  EXPECT_EQ(home_hbm_slices(s, 7), (HomeSlices{5, 1}));
}

TEST(HomeSlicesErrors, PeOutsideTheCube) {
  const TopologySpec s = with_slices(8);
  try {
    home_hbm_slices(s, 8);
    FAIL();
  } catch (const base::NotFoundError& e) {
    EXPECT_STREQ(e.what(), "PE 8 is outside the cube (0..7)");
  }
  EXPECT_THROW(slice_corner(s, -1), base::NotFoundError);
}

}  // namespace
}  // namespace kernbench::topo
