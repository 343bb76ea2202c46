#include "kernbench/mem/memory_id.h"

#include <gtest/gtest.h>

#include "test_topology.h"

namespace kernbench::mem {
namespace {

using namespace base::literals;

TEST(MemoryId, PrintsStructuralNames) {
  EXPECT_EQ(fmt::format("{}", MemoryId::hbm_slice({0, 5}, 3)),
            "HBM slice 3 of cube (sip 0, cube 5)");
  EXPECT_EQ(fmt::format("{}", MemoryId::tcm({0, 3, 5})), "TCM of PE (sip 0, cube 3, pe 5)");
  EXPECT_EQ(fmt::format("{}", MemoryId::sram({1, 2})), "SRAM of cube (sip 1, cube 2)");
}

TEST(MemoryId, SizesAndCountsComeFromTheSpec) {
  const auto spec = testing::ahbm_spec();
  EXPECT_EQ(memory_size(spec, MemoryKind::hbm), 6_GiB);
  EXPECT_EQ(memory_size(spec, MemoryKind::tcm), 16_MiB);  // addressable: reserved part included
  EXPECT_EQ(memory_size(spec, MemoryKind::sram), 32_MiB);
  EXPECT_EQ(memories_per_cube(spec, MemoryKind::hbm), 8);
  EXPECT_EQ(memories_per_cube(spec, MemoryKind::tcm), 8);
  EXPECT_EQ(memories_per_cube(spec, MemoryKind::sram), 1);
}

TEST(MemoryId, OrdersAndCompares) {
  EXPECT_EQ(MemoryId::tcm({0, 1, 2}), (MemoryId{0, 1, MemoryKind::tcm, 2}));
  EXPECT_LT(MemoryId::hbm_slice({0, 1}, 7), MemoryId::tcm({0, 1, 0}));
  EXPECT_EQ(MemoryId::sram({2, 3}).cube_coord(), (topo::CubeCoord{2, 3}));
  EXPECT_EQ(name(MemoryKind::sram), "SRAM");
}

}  // namespace
}  // namespace kernbench::mem
