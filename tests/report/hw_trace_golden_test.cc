// The trace of a small run of the hardware model: a host write, a page map and a kernel that
// copies by DMA and computes. Shows the tracks (host requests, links, memories, PE units) and
// spans a user sees in Perfetto. Regenerate after an intended change with
//   KERNBENCH_UPDATE_GOLDEN=1 ctest -R HardwareTraceGolden    (then review the diff)
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/golden_file.h"

#include "kernbench/hw/system.h"
#include "kernbench/report/chrome_trace_writer.h"
#include "kernbench/sim/process.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::report {
namespace {

using namespace base::literals;
using mem::MemoryId;
using mem::PhysAddr;

std::string small_hardware_trace() {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  sim::Engine engine;
  engine.set_trace_sink(&writer);
  hw::System system(engine,
                    topo::load_topology_file(KERNBENCH_SOURCE_DIR "/configs/ahbm_small.yaml"));
  const PhysAddr hbm = PhysAddr::encode(MemoryId::hbm_slice({0, 1}, 2), 0);
  const PhysAddr tcm = PhysAddr::encode(MemoryId::tcm({0, 1, 1}), 0);
  const auto write =
      system.submit(hw::MemoryWrite{hbm, 16_KiB, std::vector<std::byte>(16384, std::byte{3})});
  system.wait(write);
  system.wait(system.submit(hw::KernelLaunch{"copy_and_add", hw::Targets::pe({0, 1, 1}),
                                             [&](sim::Process& p, hw::Pe& pe) {
                                               pe.dma_copy(p, hbm, tcm, 16_KiB);
                                               pe.vector_unit().use(p, 50_ns);
                                             }}));
  system.flush_trace();
  writer.finish();
  return out.str();
}

TEST(HardwareTrace, IsValidJsonWithTheExpectedTracks) {
  const auto json = nlohmann::json::parse(small_hardware_trace());
  std::set<std::string> threads;
  for (const auto& e : json["traceEvents"])
    if (e["ph"] == "M" && e["name"] == "thread_name") threads.insert(e["args"]["name"]);
  for (const char* t : {"requests", "host.in", "hbm2", "pe1/dma", "pe1/core", "pe1/tcm", "mesh.x+"})
    EXPECT_TRUE(threads.contains(t)) << t;
}

TEST(HardwareTraceGolden, SmallRun) {
  tests::expect_matches_golden(small_hardware_trace(),
                               "tests/report/golden/hw_small_run.trace.json");
}

}  // namespace
}  // namespace kernbench::report
