// What a bench is handed when it runs: the machine it runs on, whether it moves real data, where
// its machine's trace goes and the run's collective settings. `kernbench run`, `sweep` and the
// tests each build one per bench.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "benches/bench_params.h"

#include "kernbench/base/units.h"
#include "kernbench/ccl/ccl_config.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::benches {

/// Whether a bench moves real data and checks its result.
///
/// timing_only: inputs are allocated and mapped but not written (kernels read what the memory
/// holds), outputs are not read back, collectives move no bytes, and the check reports "not
/// checked". No kernel's timing depends on the values it reads, so the measured time is the same
/// as a checked run's; the phases that only move data (write, read) go away.
enum class DataMode { checked, timing_only };

struct BenchContext {
  topo::TopologySpec spec;
  DataMode data = DataMode::checked;
  /// Sinks the bench's machine records into besides its own activity recorder (a trace writer,
  /// the HTML report's recorder); each must outlive the bench. Their times are shifted by
  /// `start`, so the benches of one run follow each other on one timeline.
  std::vector<sim::TraceSink*> trace_sinks;
  /// Where this bench starts on the run's timeline (its machine starts at time zero).
  base::SimTime start;
  /// The host memory the bench's machine may take (topo::machine_host_bytes); a machine whose
  /// estimate passes it is refused before it is built. 0: no budget.
  std::uint64_t host_memory_budget_bytes = 0;
  /// Shape parameters given on the command line (--param); the bench reads each with its default.
  BenchParams params{};
  /// The run's collective configuration (--ccl, --set ccl.*); absent: the embedded
  /// configs/ccl.yaml. The all_reduce bench's ring takes the buffer and chunk size of its entry
  /// ring_default_ws (which takes from `defaults` those it does not set).
  std::optional<ccl::CclConfig> ccl{};

  bool timing_only() const { return data == DataMode::timing_only; }
};

}  // namespace kernbench::benches
