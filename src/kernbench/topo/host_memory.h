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

/// The fixed part of machine_host_bytes: the program itself before any machine is built (its
/// code, libraries and heap at start), already resident in a process that builds a machine.
std::uint64_t program_host_bytes();

/// The running estimate of a run's peak host memory, fed by the runtime as it maps tensors, writes
/// host data and launches kernels: its machine, what stays (each PE's page-table entry for each
/// part of a tensor and the activity records of its map command, the bytes written from the host)
/// and the largest burst held at once (one tensor's map commands in flight, each a simulated
/// process with its stack; one launch's programs; one write's payload). Every PE mapping every
/// part of a tensor split over the PEs makes the first term grow as PEs^2; the constants are
/// measured on the default benches from 32 to 512 PEs (perf/README.md).
class HostMemoryEstimate {
 public:
  explicit HostMemoryEstimate(const TopologySpec& spec);

  /// With a tensor whose parts are mapped `pe_maps` times (PE, part) by `commands` commands
  /// (request, cube) in flight together.
  HostMemoryEstimate with_maps(std::uint64_t pe_maps, std::uint64_t commands) const;
  /// With `bytes` of host data written (kept by the byte store, and in flight once).
  HostMemoryEstimate with_write(std::uint64_t bytes) const;
  /// With a launch of programs on `pes` PEs.
  HostMemoryEstimate with_launch(std::uint64_t pes) const;

  /// The estimated peak in bytes.
  std::uint64_t bytes() const;
  /// What stays once the bursts are over (the machine included).
  std::uint64_t kept_bytes() const { return kept_; }
  /// The largest burst so far.
  std::uint64_t burst_bytes() const { return burst_; }

 private:
  HostMemoryEstimate with(std::uint64_t kept, std::uint64_t burst) const;

  std::uint64_t kept_;
  std::uint64_t burst_ = 0;
};

/// Throws base::OutOfMemoryError when `estimate_bytes` passes `budget_bytes` (0: no budget),
/// naming `what` ("a machine of 128 PEs"), the estimate and the budget.
void check_host_memory(std::string_view what, std::uint64_t estimate_bytes,
                       std::uint64_t budget_bytes);

}  // namespace kernbench::topo
