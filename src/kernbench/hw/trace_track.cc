#include "kernbench/hw/trace_track.h"

#include <array>

#include <fmt/format.h>

#include "kernbench/base/assert.h"
#include "kernbench/topo/topology_spec.h"

namespace kernbench::hw {
namespace {

constexpr std::array<std::string_view, 4> kDirectionNames{"x+", "x-", "y+", "y-"};

sim::TrackFacts facts(TrackKind kind, int sip, int cube = -1, int pe = -1, int index = -1) {
  return sim::TrackFacts{static_cast<std::uint16_t>(kind), sip, cube, pe, index};
}

std::string_view pe_leaf(TrackKind kind) {
  switch (kind) {
    case TrackKind::core: return "core";
    case TrackKind::core_programs: return "core/programs";
    case TrackKind::core_launches: return "core/launches";
    case TrackKind::wait: return "wait";
    case TrackKind::dma: return "dma";
    case TrackKind::mmu: return "mmu";
    case TrackKind::vector: return "vector";
    case TrackKind::matrix: return "matrix";
    case TrackKind::ipcq: return "ipcq";
    case TrackKind::pe_port_out: return "port.out";
    case TrackKind::pe_port_in: return "port.in";
    case TrackKind::tcm: return "tcm";
    default: KB_ASSERT(false, "not a PE's track kind"); return "";
  }
}

}  // namespace

TrackKind track_kind(const sim::TrackFacts& facts) {
  return facts.kind <= static_cast<std::uint16_t>(TrackKind::switch_in)
             ? static_cast<TrackKind>(facts.kind)
             : TrackKind::other;
}

sim::TraceTrack pe_track(topo::PeCoord pe, TrackKind kind) {
  return {fmt::format("sip{}/cube{}/pe{}/{}", pe.sip, pe.cube, pe.pe, pe_leaf(kind)),
          facts(kind, pe.sip, pe.cube, pe.pe)};
}

sim::TraceTrack cube_track(topo::CubeCoord cube, TrackKind kind, int index) {
  const sim::TrackFacts at = facts(kind, cube.sip, cube.cube, -1, index);
  switch (kind) {
    case TrackKind::corner_out:
    case TrackKind::corner_in:
      return {fmt::format("sip{}/cube{}/{}.{}", cube.sip, cube.cube,
                          topo::name(static_cast<topo::Corner>(index)),
                          kind == TrackKind::corner_in ? "in" : "out"),
              at};
    case TrackKind::mesh:
      return {fmt::format("sip{}/cube{}/mesh.{}", cube.sip, cube.cube, direction_name(index)), at};
    case TrackKind::hbm: return {fmt::format("sip{}/cube{}/hbm{}", cube.sip, cube.cube, index), at};
    case TrackKind::sram: return {fmt::format("sip{}/cube{}/sram", cube.sip, cube.cube), at};
    default: KB_ASSERT(false, "not a cube's track kind"); return {};
  }
}

sim::TraceTrack sip_track(int sip, TrackKind kind, int index) {
  const sim::TrackFacts at = facts(kind, sip, -1, -1, index);
  switch (kind) {
    case TrackKind::host_in: return {fmt::format("sip{}/host.in", sip), at};
    case TrackKind::host_out: return {fmt::format("sip{}/host.out", sip), at};
    case TrackKind::host_requests: return {fmt::format("sip{}/host/requests", sip), at};
    case TrackKind::ring_next: return {fmt::format("sip{}/ring.next", sip), at};
    case TrackKind::ring_prev: return {fmt::format("sip{}/ring.prev", sip), at};
    case TrackKind::sip_to: return {fmt::format("sip{}/to.sip{}", sip, index), at};
    case TrackKind::switch_out: return {fmt::format("sip{}/switch.out", sip), at};
    case TrackKind::switch_in: return {fmt::format("sip{}/switch.in", sip), at};
    default: KB_ASSERT(false, "not a SIP's track kind"); return {};
  }
}

std::string_view direction_name(int direction) {
  return kDirectionNames.at(static_cast<std::size_t>(direction));
}

}  // namespace kernbench::hw
