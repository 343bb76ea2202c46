// The runtime's requests as a table a person reads: phase, name, targets, bytes, simulated start
// and duration, and for launches where the programs' time went (DMA, vector, matrix, wait).
// Written to a stream the caller gives (library code never prints on its own).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"

namespace kernbench::rt {

/// One row of those tables as values (what the writers print and the Python module hands out):
/// one request, or a run of consecutive requests with the same phase and name.
struct PhaseRow {
  std::string phase;
  std::string name;
  std::size_t requests = 0;
  std::size_t targets = 0;  // PEs addressed, summed over the requests
  base::Bytes bytes;
  base::SimTime start;               // the first request's submission
  std::optional<base::SimTime> end;  // the last end; empty while a request is in flight
  ProgramStats breakdown;            // a launch's programs summed over the requests' PEs
  std::int64_t reported = 0;         // programs that reported a breakdown (0: nothing to show)
};

/// One row per record, in submission order.
std::vector<PhaseRow> completion_rows(const hw::System& system,
                                      std::span<const PhaseRecord> records);
/// One row per run of consecutive records with the same phase and name.
std::vector<PhaseRow> phase_rows(const hw::System& system, std::span<const PhaseRecord> records);

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
