// A point of the machine a transfer or command starts or ends at: a memory, a PE (its core and
// DMA port), a SIP's host port, or a cube's M_CPU.
#pragma once

#include <compare>
#include <cstdint>

#include <fmt/format.h>

#include "kernbench/mem/memory_id.h"
#include "kernbench/topo/coord.h"

namespace kernbench::hw {

struct Location {
  enum class Kind : std::uint8_t { memory, pe, host, m_cpu };

  Kind kind = Kind::pe;
  int sip = 0;
  int cube = 0;
  int index = 0;  // memory: slice / PE / 0; pe: PE within the cube; host, m_cpu: 0
  mem::MemoryKind memory_kind = mem::MemoryKind::hbm;

  static Location memory(const mem::MemoryId& m) {
    return {Kind::memory, m.sip, m.cube, m.index, m.kind};
  }
  static Location pe(topo::PeCoord p) { return {Kind::pe, p.sip, p.cube, p.pe}; }
  static Location host(int sip) { return {Kind::host, sip, 0, 0}; }
  static Location m_cpu(topo::CubeCoord c) { return {Kind::m_cpu, c.sip, c.cube, 0}; }

  topo::CubeCoord cube_coord() const { return {sip, cube}; }
  mem::MemoryId memory_id() const { return {sip, cube, memory_kind, index}; }
  auto operator<=>(const Location&) const = default;
};

}  // namespace kernbench::hw

/// "PE (sip 0, cube 1, pe 2)", "HBM slice 3 of cube (sip 0, cube 5)", "host of SIP 0",
/// "M_CPU of cube (sip 0, cube 4)".
template <>
struct fmt::formatter<kernbench::hw::Location> : fmt::formatter<std::string_view> {
  auto format(const kernbench::hw::Location& l, format_context& ctx) const {
    using Kind = kernbench::hw::Location::Kind;
    switch (l.kind) {
      case Kind::memory: return fmt::format_to(ctx.out(), "{}", l.memory_id());
      case Kind::pe:
        return fmt::format_to(ctx.out(), "PE {}", kernbench::topo::PeCoord{l.sip, l.cube, l.index});
      case Kind::host: return fmt::format_to(ctx.out(), "host of SIP {}", l.sip);
      case Kind::m_cpu: return fmt::format_to(ctx.out(), "M_CPU of cube {}", l.cube_coord());
    }
    return ctx.out();
  }
};
