// Names one memory of the machine: an HBM slice of a cube, the TCM of a PE, or a cube's SRAM.
// Allocators, physical addresses and error messages all speak in these structural names.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "kernbench/base/units.h"
#include "kernbench/topo/coord.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::mem {

/// The kind of a memory; the values are the 2-bit kind field of a physical address (3 is unused).
enum class MemoryKind : std::uint8_t { hbm = 0, tcm = 1, sram = 2 };

/// "HBM", "TCM", "SRAM".
std::string_view name(MemoryKind kind);

/// One memory: (sip, cube, kind, index) where index is the HBM slice, the PE (TCM), or 0 (SRAM).
struct MemoryId {
  int sip = 0;
  int cube = 0;
  MemoryKind kind = MemoryKind::hbm;
  int index = 0;

  static MemoryId hbm_slice(topo::CubeCoord cube, int slice) {
    return {cube.sip, cube.cube, MemoryKind::hbm, slice};
  }
  static MemoryId tcm(topo::PeCoord pe) { return {pe.sip, pe.cube, MemoryKind::tcm, pe.pe}; }
  static MemoryId sram(topo::CubeCoord cube) { return {cube.sip, cube.cube, MemoryKind::sram, 0}; }

  topo::CubeCoord cube_coord() const { return {sip, cube}; }
  auto operator<=>(const MemoryId&) const = default;
};

/// Size of one memory of `kind` (the whole TCM, reserved part included: it is addressable).
base::Bytes memory_size(const topo::TopologySpec& spec, MemoryKind kind);
/// How many memories of `kind` a cube has: HBM slices, PEs (one TCM each), 1 SRAM.
int memories_per_cube(const topo::TopologySpec& spec, MemoryKind kind);

}  // namespace kernbench::mem

/// Prints "HBM slice 3 of cube (sip 0, cube 5)", "TCM of PE (sip 0, cube 3, pe 5)",
/// "SRAM of cube (sip 0, cube 3)" — the wording error messages use.
template <>
struct fmt::formatter<kernbench::mem::MemoryId> : fmt::formatter<std::string_view> {
  auto format(const kernbench::mem::MemoryId& m, format_context& ctx) const {
    using kernbench::mem::MemoryKind;
    const kernbench::topo::CubeCoord cube{m.sip, m.cube};
    switch (m.kind) {
      case MemoryKind::hbm:
        return fmt::format_to(ctx.out(), "HBM slice {} of cube {}", m.index, cube);
      case MemoryKind::tcm:
        return fmt::format_to(ctx.out(), "TCM of PE {}",
                              kernbench::topo::PeCoord{m.sip, m.cube, m.index});
      case MemoryKind::sram: return fmt::format_to(ctx.out(), "SRAM of cube {}", cube);
    }
    return fmt::format_to(ctx.out(), "memory kind {} index {} of cube {}", static_cast<int>(m.kind),
                          m.index, cube);
  }
};
