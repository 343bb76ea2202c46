// What work costs on a PE's units, written once so the kernel language and the collectives
// charge the same: vector lanes are 32 bits wide (16-bit elements get twice the lanes, 8-bit four
// times, 64-bit half), transcendental ops have their own lane count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernbench/base/dtype.h"
#include "kernbench/base/units.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {

/// Elements of `dtype` the vector unit handles per cycle.
inline std::int64_t vector_lanes(const topo::CoreSpec& core, base::DType dtype,
                                 bool transcendental = false) {
  const std::int64_t lanes32 = transcendental ? core.transcendental_lanes : core.vector_lanes;
  return std::max<std::int64_t>(1,
                                lanes32 * 4 / static_cast<std::int64_t>(base::size_bytes(dtype)));
}

/// Cycles for `elements` element ops of `dtype` (rounded up to whole cycles).
inline base::Cycles vector_cycles(const topo::CoreSpec& core, base::DType dtype,
                                  std::int64_t elements, bool transcendental = false) {
  const std::int64_t lanes = vector_lanes(core, dtype, transcendental);
  return base::Cycles(static_cast<std::uint64_t>((elements + lanes - 1) / lanes));
}

}  // namespace kernbench::hw
