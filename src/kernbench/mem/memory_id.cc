#include "kernbench/mem/memory_id.h"

namespace kernbench::mem {

std::string_view name(MemoryKind kind) {
  switch (kind) {
    case MemoryKind::hbm: return "HBM";
    case MemoryKind::tcm: return "TCM";
    case MemoryKind::sram: return "SRAM";
  }
  return "?";
}

base::Bytes memory_size(const topo::TopologySpec& spec, MemoryKind kind) {
  switch (kind) {
    case MemoryKind::hbm: return spec.cube.hbm.slice_size();
    case MemoryKind::tcm: return spec.cube.pe.tcm.size;
    case MemoryKind::sram: return spec.cube.sram.size;
  }
  return base::Bytes(0);
}

int memories_per_cube(const topo::TopologySpec& spec, MemoryKind kind) {
  switch (kind) {
    case MemoryKind::hbm: return spec.cube.hbm.slices_per_cube;
    case MemoryKind::tcm: return spec.pes_per_cube();
    case MemoryKind::sram: return 1;
  }
  return 0;
}

}  // namespace kernbench::mem
