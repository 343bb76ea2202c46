// A sweep of one collective of any ccl.yaml entry over message sizes, as nccl-tests runs one: per
// size the simulated time, algorithm and bus bandwidth (nccl-tests' bus factors), and with `check`
// the number of wrong elements against a host reference. Formatting the rows is report's job.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/combine.h"
#include "kernbench/base/units.h"
#include "kernbench/ccl/collective_op.h"
#include "kernbench/ccl/install_plan.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::ccl {

struct BenchRow {
  std::uint64_t bytes = 0;  // per rank buffer
  std::uint64_t count = 0;  // elements per rank buffer
  base::DType dtype = base::DType::f32;
  base::CombineOp op = base::CombineOp::sum;
  base::SimTime time;
  double algbw_gbps = 0;               // bytes / time
  double busbw_gbps = 0;               // algbw x bus factor (bus_factor)
  std::optional<std::uint64_t> wrong;  // elements off the reference (only when checked)
};

/// Runs `op` once per size (bytes per rank, rounded down to whole elements, and for all_to_all
/// to a multiple of the world size) on a fresh simulation of `spec`; timing-only unless `check`,
/// which fills each rank with small integers (exact in every dtype) and counts the elements that
/// differ from the host reference. `root` is broadcast's and reduce's. With a `trace`, each size's
/// simulation is traced into its sinks from `trace->at` on, which then moves to that simulation's
/// end, so the sizes (and the entries of several calls) follow each other on one timeline; each
/// size is also a span on the track "ccl/<entry>".
struct SweepTrace {
  std::vector<sim::TraceSink*> sinks;
  base::SimTime at;
};
std::vector<BenchRow> run_collective_bench(const topo::TopologySpec& spec, const InstallPlan& plan,
                                           CollectiveOp op, base::DType dtype,
                                           base::CombineOp redop,
                                           std::span<const std::uint64_t> sizes, bool check,
                                           int root = 0, SweepTrace* trace = nullptr);

/// Refuses (base::HostMemoryLimitError, from topo::check_host_memory) a run_collective_bench of
/// `entry` over `world_size` ranks whose largest size is `bytes` per rank when its host memory
/// passes `budget_bytes` (0: no budget): the machine, and with `check` every rank's data as the
/// host holds it (each rank's buffer, its reference and the functional memory's copy take
/// about 1.25 times the ranks' bytes at their peak).
void check_bench_host_memory(const topo::TopologySpec& spec, std::string_view entry, int world_size,
                             std::uint64_t bytes, bool check, std::uint64_t budget_bytes);

}  // namespace kernbench::ccl
