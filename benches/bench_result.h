// What one bench run measured: its simulated time, the work done (FLOPs and bytes), the peaks
// that work is compared with, and the numeric check against the plain C++ reference.
// BenchMachine::record turns it into the report's BenchRecord; the tests assert it directly.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/report/run_record.h"

namespace kernbench::benches {

/// The roofline of a compute bench: the two bounds, computed from the spec, and the one it hit.
struct Roofline {
  double matrix_peak_flops = 0;   // matrix-unit peak of the PEs that ran it
  double memory_bound_flops = 0;  // FLOPs / (bytes moved / bandwidth of their memory)
  double bound_flops() const;
  /// "matrix" or "memory": which of the two is the lower (binding) bound.
  std::string bound_name() const;
};

/// A phase the runtime's request record does not show (a collective run on the fabric directly),
/// in the bench machine's own time.
struct ExtraPhase {
  std::string name;
  base::SimTime start;
  base::SimTime end;
  std::uint64_t bytes = 0;
  double flops = 0;
};

struct BenchResult {
  std::string name;
  std::string shape;      // "M=8192 N=256 K=256 f16->f32"
  int pes = 0;            // PEs that ran programs
  base::SimTime start;    // when the measured span began, on the bench's machine
  base::SimTime time;     // the measured span: first program start to last program end
  double flops = 0;       // arithmetic the measured work does (0 for a data-movement bench)
  double bytes = 0;       // bytes the measured work moves
  double peak_flops = 0;  // peak of the PEs that ran it (0: not a compute bench)
  double peak_bytes_per_second = 0;  // the bandwidth bound that matters for it (0: none)
  std::optional<Roofline> roofline;
  report::CheckRecord check;
  std::vector<ExtraPhase> phases;  // besides the runtime's requests
  std::string kernel;              // the name of its launches' phase ("launch <kernel>")

  /// FLOPs and bytes per simulated second; 0 for a zero time.
  double flops_per_second() const;
  double bytes_per_second() const;
};

}  // namespace kernbench::benches
