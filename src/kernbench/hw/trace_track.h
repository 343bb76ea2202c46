// hw's trace tracks: the kind of each (sim::TrackFacts::kind) and the one place their display names
// are made, so `report` reads what a track is from its declaration, never from its name.
#pragma once

#include <cstdint>
#include <string_view>

#include "kernbench/sim/trace_sink.h"
#include "kernbench/topo/coord.h"

namespace kernbench::hw {

/// What one of hw's tracks records. The coordinates that apply: a PE's tracks have sip, cube and
/// pe; a cube's sip and cube; a SIP's sip; `index` as noted.
enum class TrackKind : std::uint16_t {
  other = 0,  // not one of hw's tracks
  // A PE's: its units, its programs and launches, its waits, its port and TCM.
  core,
  core_programs,
  core_launches,
  wait,
  dma,
  mmu,
  vector,
  matrix,
  ipcq,
  pe_port_out,
  pe_port_in,
  tcm,
  // A cube's.
  corner_out,  // index: the corner (topo::Corner)
  corner_in,
  mesh,  // index: the direction, 0..3 for x+, x-, y+, y-
  hbm,   // index: the slice
  sram,
  // A SIP's.
  host_in,
  host_out,
  host_requests,
  ring_next,
  ring_prev,
  sip_to,  // index: the SIP at the far end
  switch_out,
  switch_in,
};

/// The kind a track was declared with (other for a kind hw does not know).
TrackKind track_kind(const sim::TrackFacts& facts);

/// A PE's track of `kind` (core .. tcm): "sip0/cube3/pe5/dma", "sip0/cube3/pe5/port.in".
sim::TraceTrack pe_track(topo::PeCoord pe, TrackKind kind);
/// A cube's track of `kind` (corner_out .. sram): "sip0/cube1/nw.out", "sip0/cube1/mesh.x+",
/// "sip0/cube1/hbm3", "sip0/cube1/sram".
sim::TraceTrack cube_track(topo::CubeCoord cube, TrackKind kind, int index = -1);
/// A SIP's track of `kind` (host_in .. switch_in): "sip0/host.in", "sip0/host/requests",
/// "sip0/ring.next", "sip0/to.sip3", "sip0/switch.out".
sim::TraceTrack sip_track(int sip, TrackKind kind, int index = -1);

/// A mesh direction as tracks and reports write it: "x+", "x-", "y+", "y-".
std::string_view direction_name(int direction);

}  // namespace kernbench::hw
