// Shared by the rt tests: a small machine (2 SIPs x 2 cubes x 4 PEs unless told otherwise) with
// its engine and a runtime over every SIP, and the machine-wide sums the leak tests compare.
#pragma once

#include <cstdint>
#include <memory>

#include "kernbench/hw/system.h"
#include "kernbench/rt/runtime.h"
#include "kernbench/sim/engine.h"
#include "kernbench/topo/coord_index.h"
#include "kernbench/topo/topology_loader.h"

namespace kernbench::rt::testing {

/// 2 SIPs of 2 x 1 cubes with 4 PEs each (one per corner), 8 HBM slices per cube.
inline topo::Overrides small_machine() {
  return {"system.sips.count=2", "system.sips.cubes_per_sip=2", "sip.cube_mesh.w=2",
          "sip.cube_mesh.h=1", "cube.pe_layout.pe_per_corner=1"};
}

struct Machine {
  explicit Machine(const topo::Overrides& overrides = small_machine())
      : system(engine, topo::default_topology(overrides)), runtime(system) {}
  sim::Engine engine;
  hw::System system;
  Runtime runtime;
};

/// Free HBM bytes summed over every slice of the machine.
inline std::uint64_t free_hbm(hw::System& system) {
  const auto& spec = system.spec();
  std::uint64_t sum = 0;
  for (int c = 0; c < spec.total_cubes(); ++c)
    for (int s = 0; s < spec.cube.hbm.slices_per_cube; ++s)
      sum += system.allocator()
                 .free_bytes(mem::MemoryId::hbm_slice(topo::cube_coord(spec, c), s))
                 .count();
  return sum;
}

/// Page-table ranges summed over every PE of the machine.
inline std::size_t mapping_count(hw::System& system) {
  std::size_t sum = 0;
  for (int i = 0; i < system.spec().total_pes(); ++i)
    sum += system.pe(topo::pe_coord(system.spec(), i)).mmu().page_table().mapping_count();
  return sum;
}

}  // namespace kernbench::rt::testing
