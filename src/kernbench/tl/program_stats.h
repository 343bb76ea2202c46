// Where a program's time went, for the launcher to sum per PE and report with the completion:
// the program's elapsed time is exactly vector + matrix + waiting (issuing a DMA costs the
// program nothing; its transfers run beside the compute and show up as DMA time).
#pragma once

#include <cstdint>

#include "kernbench/base/units.h"

namespace kernbench::tl {

struct ProgramStats {
  base::SimTime elapsed;  // from the program's start to the end of its last DMA
  base::SimTime dma;      // time at least one of its DMA requests was in flight
  base::SimTime vector;   // vector-unit service (simple and transcendental)
  base::SimTime matrix;   // matrix-unit service
  base::SimTime wait;     // blocked: on data still in flight, on its stores at the end, or
                          // queued behind another user of a unit
  std::int64_t dma_requests = 0;
  std::uint64_t tcm_peak_bytes = 0;  // the most TCM its live tiles held at once

  /// Sums another program's figures (the TCM peak takes the larger: programs run one by one).
  ProgramStats& operator+=(const ProgramStats& o) {
    elapsed += o.elapsed;
    dma += o.dma;
    vector += o.vector;
    matrix += o.matrix;
    wait += o.wait;
    dma_requests += o.dma_requests;
    tcm_peak_bytes = tcm_peak_bytes > o.tcm_peak_bytes ? tcm_peak_bytes : o.tcm_peak_bytes;
    return *this;
  }
};

}  // namespace kernbench::tl
