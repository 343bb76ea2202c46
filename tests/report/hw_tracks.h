// For the report's tests: hw's track of a given name, with the facts hw declares it with (found
// among the tracks hw makes at the coordinates the name starts with), so a test can write a track
// as its name and the report still reads what it is from its declaration.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "kernbench/hw/trace_track.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::report::testing {

/// hw's track named `name` ("sip0/cube1/pe2/dma", "sip0/cube1/hbm3", "sip0/ring.next"), or a track
/// of that name without facts when hw makes none of that name.
inline sim::TraceTrack hw_track(std::string_view name) {
  using hw::TrackKind;
  const std::string text(name);
  const auto kind = [](TrackKind k) { return static_cast<int>(k); };
  int s = -1, c = -1, p = -1, n = 0;
  if (std::sscanf(text.c_str(), "sip%d/cube%d/pe%d/%n", &s, &c, &p, &n) == 3 && n > 0) {
    for (int k = kind(TrackKind::core); k <= kind(TrackKind::tcm); ++k)
      if (sim::TraceTrack t = hw::pe_track({s, c, p}, TrackKind(k)); t.name() == name) return t;
  } else if (n = 0; std::sscanf(text.c_str(), "sip%d/cube%d/%n", &s, &c, &n) == 2 && n > 0) {
    for (int k = kind(TrackKind::corner_out); k <= kind(TrackKind::sram); ++k) {
      const int last = TrackKind(k) == TrackKind::hbm    ? 63
                       : TrackKind(k) == TrackKind::sram ? -1
                                                         : 3;
      for (int i = TrackKind(k) == TrackKind::sram ? -1 : 0; i <= last; ++i)
        if (sim::TraceTrack t = hw::cube_track({s, c}, TrackKind(k), i); t.name() == name) return t;
    }
  } else if (n = 0; std::sscanf(text.c_str(), "sip%d/%n", &s, &n) == 1 && n > 0) {
    for (int k = kind(TrackKind::host_in); k <= kind(TrackKind::switch_in); ++k)
      for (int i = -1; i <= (TrackKind(k) == TrackKind::sip_to ? 63 : -1); ++i)
        if (sim::TraceTrack t = hw::sip_track(s, TrackKind(k), i); t.name() == name) return t;
  }
  return sim::TraceTrack(text);
}

/// Declares hw's track named `name` to `sink` (hw_track): its id there.
inline sim::TrackId track(sim::TraceSink& sink, std::string_view name) {
  return sink.declare(hw_track(name).decl());
}

}  // namespace kernbench::report::testing
