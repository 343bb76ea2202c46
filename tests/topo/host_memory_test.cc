#include "kernbench/topo/host_memory.h"

#include <gtest/gtest.h>

#include "kernbench/base/error.h"
#include "kernbench/base/limit_error.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::topo {
namespace {

TEST(HostMemory, MachineEstimateGrowsWithThePes) {
  const TopologySpec spec = default_topology();  // 128 PEs
  EXPECT_EQ(pe_count(spec), 128u);
  EXPECT_EQ(machine_host_bytes(spec), (std::uint64_t{8} << 20) + 128 * (std::uint64_t{40} << 10));
  // The largest machine the addresses allow: 256 SIPs of 16 x 16 cubes of 8 PEs.
  const TopologySpec largest =
      default_topology({"system.sips.count=256", "sip.cube_mesh.w=16", "sip.cube_mesh.h=16",
                        "system.sips.cubes_per_sip=256"});
  EXPECT_EQ(pe_count(largest), 524288u);
  EXPECT_GT(machine_host_bytes(largest), std::uint64_t{20} << 30);
}

TEST(HostMemory, TheHostHasRam) { EXPECT_GT(host_ram_bytes(), std::uint64_t{64} << 20); }

TEST(HostMemoryErrors, EstimateOverTheBudgetIsRefused) {
  EXPECT_NO_THROW(check_host_memory("a machine", 1000, 1000));
  EXPECT_NO_THROW(check_host_memory("a machine", 1 << 30, 0));  // 0: no budget
  try {
    check_host_memory("a machine of 128 PEs", std::uint64_t{3} << 30, std::uint64_t{1} << 30);
    FAIL() << "no error";
  } catch (const base::HostMemoryLimitError& e) {  // an OutOfMemoryError, typed by its limit
    EXPECT_STREQ(e.what(),
                 "a machine of 128 PEs needs about 3 GiB of host memory, more than the 1 GiB "
                 "budget");
  }
}

}  // namespace
}  // namespace kernbench::topo
