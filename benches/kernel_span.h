// The simulated time a launch spent on the PEs: from the first program's start to the last
// program's end (its last store landed), excluding the host's command latency, which is the
// runtime's cost, not the kernel's.
#pragma once

#include <set>

#include "kernbench/base/units.h"
#include "kernbench/rt/program_context.h"
#include "kernbench/topo/coord.h"

namespace kernbench::benches {

class KernelSpan {
 public:
  /// `kernel` with every program's start and end recorded here; this span must outlive it.
  rt::KernelFn wrap(rt::KernelFn kernel);
  /// Last end minus first start (zero before any program ran).
  base::SimTime elapsed() const;
  /// The first program's start (zero before any program ran).
  base::SimTime start() const { return any_ ? first_start_ : base::SimTime::zero(); }
  /// Distinct PEs that ran programs.
  int pes() const { return static_cast<int>(pes_.size()); }

 private:
  bool any_ = false;
  base::SimTime first_start_;
  base::SimTime last_end_;
  std::set<topo::PeCoord> pes_;
};

}  // namespace kernbench::benches
