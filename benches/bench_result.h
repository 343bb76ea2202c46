// What one bench run measured: its simulated time, the work done (FLOPs or bytes), and the
// numeric check against the plain C++ reference. `kernbench run` prints it; the tests assert it.
#pragma once

#include <optional>
#include <string>

#include "kernbench/base/units.h"

namespace kernbench::benches {

/// What a bench's rate counts: arithmetic (FLOP/s) or memory traffic (GB/s).
enum class WorkKind { flops, bytes };

/// The roofline of a compute bench: the two bounds, computed from the spec, and the one it hit.
struct Roofline {
  double matrix_peak_flops = 0;   // matrix-unit peak of the PEs that ran it
  double memory_bound_flops = 0;  // FLOPs / (bytes moved / bandwidth of their memory)
  double bound_flops() const;
  /// "matrix" or "memory": which of the two is the lower (binding) bound.
  std::string bound_name() const;
};

struct BenchResult {
  std::string name;
  std::string shape;   // "M=8192 N=256 K=256 f16->f32"
  int pes = 0;         // PEs that ran programs
  base::SimTime time;  // first program start to last program end
  WorkKind kind = WorkKind::flops;
  double work = 0;       // FLOPs or bytes moved
  double max_error = 0;  // max |got - want| over every element
  bool pass = false;     // every element within the dtype's tolerance
  std::optional<Roofline> roofline;

  /// Work per simulated second (FLOP/s or B/s); 0 for a zero time.
  double rate() const;
};

}  // namespace kernbench::benches
