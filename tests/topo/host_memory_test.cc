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

TEST(HostMemory, TheRunningEstimateKeepsMapsAndWritesAndTheLargestBurst) {
  const TopologySpec spec = default_topology();
  const std::uint64_t machine = machine_host_bytes(spec);
  const HostMemoryEstimate start(spec);
  EXPECT_EQ(start.bytes(), machine);
  EXPECT_EQ(machine - program_host_bytes(), 128 * (std::uint64_t{40} << 10));
  // 224 B kept per (PE, part) map; 6 KiB per command in flight, only while they are.
  const HostMemoryEstimate mapped = start.with_maps(1000, 10);
  EXPECT_EQ(mapped.kept_bytes(), machine + 1000 * 224);
  EXPECT_EQ(mapped.burst_bytes(), 10u * 6144);
  // A smaller burst later leaves the largest; kept parts add up; a write is kept and in flight.
  const HostMemoryEstimate more = mapped.with_maps(1000, 5).with_write(1 << 20);
  EXPECT_EQ(more.kept_bytes(), machine + 2000 * 224 + (1 << 20));
  EXPECT_EQ(more.burst_bytes(), std::uint64_t{1} << 20);
  EXPECT_EQ(more.bytes(), more.kept_bytes() + more.burst_bytes());
  // 64 KiB per PE running a launch's programs.
  EXPECT_EQ(start.with_launch(128).burst_bytes(), 128u * (64 << 10));
  // Counts past 64 bits saturate instead of wrapping.
  EXPECT_EQ(start.with_maps(~std::uint64_t{0}, ~std::uint64_t{0}).bytes(), ~std::uint64_t{0});
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
