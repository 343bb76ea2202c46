// What ops report to the program that runs them: the work classes of TRITON.md §7.4 and the
// per-program tallies. Counting is separate from timing so a timing model can be swapped in
// behind Program without touching the ops.
#pragma once

#include <cstdint>

namespace kernbench::tl {

/// Vector-unit work classes: plain element ops, and the transcendental (special-function) class
/// (exp, exp2, log, log2, sqrt, rsqrt, sigmoid, division) with its own, narrower lane count.
enum class VectorClass : std::uint8_t { simple, transcendental };

/// Work a program has done so far (element counts, not time).
struct WorkTally {
  std::int64_t vector_elements = 0;          // simple vector element ops
  std::int64_t transcendental_elements = 0;  // special-function element ops
  std::int64_t matrix_macs = 0;              // MACs as issued (before rounding to the unit's tile)
  std::int64_t dma_read_bytes = 0;           // bytes actually loaded (active lanes only)
  std::int64_t dma_write_bytes = 0;          // bytes actually stored
  std::int64_t dma_runs = 0;                 // address-contiguous runs among active lanes
};

}  // namespace kernbench::tl
