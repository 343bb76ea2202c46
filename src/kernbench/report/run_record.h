// Everything a run reports, as plain data: what the command line fills in and what every writer
// (text, JSON, HTML) reads. No behaviour here; derived figures (bandwidth, FLOP/s, fractions of
// peak) are computed by the writers from these fields, so the record holds each fact once.
// Wall-clock figures never go into a RunRecord (they go to stderr only), so every output written
// from it is byte-identical from run to run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/report/activity_recorder.h"

namespace kernbench::report {

/// The roofline of a compute bench: the matrix units' peak and the rate the memory traffic allows.
struct RooflineRecord {
  double matrix_peak_flops = 0;   // FLOP/s of the PEs that ran it
  double memory_bound_flops = 0;  // FLOP/s the bench's bytes at the peak bandwidth would allow
  std::string bound;              // "matrix" or "memory": the lower of the two
};

/// The numeric check of a bench against its reference.
struct CheckRecord {
  bool checked = false;  // false: timing only (--timing-only) or nothing to check
  bool pass = false;
  double max_error = 0;  // largest absolute difference from the reference
  std::string detail;    // one line, e.g. "max |error| 3.1e-03 <= 1e-02 (bf16)"
};

/// What a launch's programs asked of their PEs' MMUs, summed over the PEs.
struct TranslationRecord {
  std::uint64_t tlb_lookups = 0;      // pages looked up in a TLB (one per page a transfer touches)
  std::uint64_t tlb_misses = 0;       // of which took a page walk
  std::uint64_t tlb_reach_bytes = 0;  // one PE's TLB reach: entries x page size
  bool operator==(const TranslationRecord&) const = default;
};

/// One phase of a bench: a deployment, a launch, a collective.
struct PhaseRecord {
  std::string name;              // "deploy A", "launch matmul", "all_reduce"
  base::SimTime start;           // simulated, from the start of the run
  base::SimTime duration;        // simulated
  std::uint64_t bytes = 0;       // bytes moved in the phase
  double flops = 0;              // 0 when the phase does no arithmetic worth counting
  std::vector<Busiest> busiest;  // at most one per ResourceKind, in unit, link, memory order
  std::optional<TranslationRecord> translation;  // launches of kernels that report their figures
};

/// One bench of a run.
struct BenchRecord {
  std::string name;                  // "matmul"
  std::string shape;                 // "M=1024 N=1024 K=1024 bf16"
  int pes = 0;                       // PEs that ran it
  base::SimTime time;                // whole bench, simulated
  std::uint64_t bytes = 0;           // bytes moved
  double flops = 0;                  // floating-point operations
  double peak_flops = 0;             // of the PEs that ran it (0 = not a compute bench)
  double peak_bytes_per_second = 0;  // the memory/link bound relevant to the bench (0 = n/a)
  std::optional<RooflineRecord> roofline;
  std::vector<PhaseRecord> phases;
  std::vector<Busiest> busiest;  // over the whole bench, at most one per kind
  CheckRecord check;
};

/// One size of a collective sweep, as nccl-tests prints it.
struct CollectiveRow {
  std::uint64_t bytes = 0;  // message size per rank
  std::uint64_t count = 0;  // elements per rank
  std::string dtype;        // "f32"
  std::string op;           // "sum"
  base::SimTime time;       // simulated
  double algbw_gbps = 0;    // bytes / time, GB/s (1e9 B/s)
  double busbw_gbps = 0;    // algbw times the collective's bus factor, GB/s
  std::optional<std::uint64_t>
      wrong;  // elements that differ from the reference; none = not checked
};

/// A sweep over message sizes of one collective algorithm.
struct CollectiveSweep {
  std::string algorithm;  // the ccl.yaml entry, e.g. "ring"
  std::string op;         // "all_reduce"
  int world = 0;          // ranks
  std::vector<CollectiveRow> rows;
};

/// One point of a parameter sweep: the value given to the key and the bench's result there.
struct SweepPoint {
  std::string value;  // as given: "2 TB/s"
  BenchRecord result;
};

/// A sweep of one --set key over a bench.
struct ParameterSweep {
  std::string bench;  // "matmul"
  std::string key;    // "cube.memory_map.hbm_slice_bandwidth"
  std::vector<SweepPoint> points;
};

/// A whole run.
struct RunRecord {
  std::string version;                                      // "kernbench 0.1.0"
  std::vector<std::string> command_line;                    // argv, program name first
  std::vector<std::pair<std::string, std::string>> config;  // resolved key.path -> value text
  std::vector<BenchRecord> benches;
  std::vector<CollectiveSweep> collective_sweeps;
  std::vector<ParameterSweep> parameter_sweeps;
};

}  // namespace kernbench::report
