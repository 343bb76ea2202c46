// How much of the host's memory a simulation would take, estimated from the spec before anything
// is built, and the check against a budget: a machine or a data set too large for the host is
// refused up front with the figure, instead of exhausting the host part-way through a run.
#pragma once

#include <cstdint>
#include <string_view>

#include "kernbench/topo/topology_spec.h"

namespace kernbench::topo {

/// The host's physical memory, the default budget; 0 if it cannot be read (then nothing is
/// refused).
std::uint64_t host_ram_bytes();

/// PEs of `spec` counted in 64 bits (a spec's own int counts are for machines that can be built).
std::uint64_t pe_count(const TopologySpec& spec);

/// The estimated peak host memory of a simulated machine of `spec` holding no tensor data: a
/// fixed part and a part per PE (its units, memories, MMU, DMA and IPCQ state, its share of the
/// fabric's channels), both measured on machines of 32 to 2048 PEs (perf/README.md).
std::uint64_t machine_host_bytes(const TopologySpec& spec);

/// Throws base::OutOfMemoryError when `estimate_bytes` passes `budget_bytes` (0: no budget),
/// naming `what` ("a machine of 128 PEs"), the estimate and the budget.
void check_host_memory(std::string_view what, std::uint64_t estimate_bytes,
                       std::uint64_t budget_bytes);

}  // namespace kernbench::topo
