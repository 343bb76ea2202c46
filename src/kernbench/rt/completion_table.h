// The runtime's requests as a table a person reads: phase, name, targets, bytes, simulated start
// and duration, and for launches where the programs' time went (DMA, vector, matrix, wait).
// Written to a stream the caller gives (library code never prints on its own).
#pragma once

#include <ostream>
#include <span>

#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::rt {

/// Writes one row per record (requests still in flight show "in flight" instead of times). Launch
/// rows add where their programs' time went, summed over the request's PEs: DMA, vector, matrix
/// and wait ("-" for other rows and kernels that report no breakdown).
void write_completion_table(std::ostream& out, const hw::System& system,
                            std::span<const PhaseRecord> records);
/// Writes one row per run of consecutive records with the same phase and name (a tensor's maps,
/// a launch's per-SIP requests): requests, targets, bytes and the launch breakdown summed, first
/// start, span to the last end.
void write_phase_summary(std::ostream& out, const hw::System& system,
                         std::span<const PhaseRecord> records);
/// Writes the table of every request `runtime` submitted.
void write_completion_table(std::ostream& out, const Runtime& runtime);

}  // namespace kernbench::rt
