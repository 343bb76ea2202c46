// Which trace records a writer keeps: track prefixes, SIP / cube / PE numbers, unit kinds and a
// time window. The hook behind the command line's --trace-filter, so a long run or a large system
// can trace just the part someone will look at. docs/report.md describes the text form.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::report {

struct TraceFilter {
  // Whole path components: "sip0/cube1" keeps "sip0/cube1/pe0/dma" but not "sip0/cube10/...".
  // Empty keeps every track.
  std::vector<std::string> track_prefixes;
  // Records overlapping [from, to) are kept whole (a span is not clipped to the window).
  base::SimTime from = base::SimTime::from_ps(std::numeric_limits<std::int64_t>::min());
  base::SimTime to = base::SimTime::max();
  // Structural numbers to keep; empty keeps all. Each applies to tracks that have that level (a
  // track's declared coordinates): with pes = {0}, "sip0/cube1/pe3/dma" goes but the cube's own
  // "sip0/cube1/hbm2" and the SIP's links stay, so the kept PEs keep their context.
  std::vector<int> sips{};
  std::vector<int> cubes{};
  std::vector<int> pes{};
  // Unit kinds to keep (see unit_kind()); empty keeps all.
  std::vector<std::string> unit_kinds{};

  /// True if the track named `name` with `facts` passes the prefixes (on its name), the
  /// structural numbers and the unit kinds (from its facts).
  bool keeps_track(std::string_view name, const sim::TrackFacts& facts) const;
  /// True if a span from `start` to `end` meets the window (a zero-length span counts as an
  /// instant at `start`); its track is asked with keeps_track.
  bool keeps_span(base::SimTime start, base::SimTime end) const;
  /// True if an instant at `at` is in the window.
  bool keeps_instant(base::SimTime at) const;
};

/// The kind of one of hw's tracks, as --trace-filter's "unit=" names it: "core", "dma", "vector",
/// "matrix", "wait", "ipcq", "mmu", "port", "tcm", "hbm", "sram", "corner", "mesh", "sip_link",
/// "host", "requests"; "other" for a PE's programs and launches and any track hw did not declare.
std::string_view unit_kind(const sim::TrackFacts& facts);

/// The unit kinds unit_kind() can return (without "other"), for help texts and error messages.
std::vector<std::string_view> known_unit_kinds();

/// Parses --trace-filter's text: comma-separated key=value items, each key at most once.
///   sip=0  cube=1-3  pe=0|2|4-7   numbers, ranges and '|'-separated lists of them
///   unit=dma|vector               unit kinds (unit_kind())
///   track=sip0/cube1|sip1         track prefixes
///   from=10us  to=20us            the window, with a unit (ps, ns, us, ms, s)
/// An empty text keeps everything. Throws base::ConfigError naming the item and what was expected.
TraceFilter parse_trace_filter(std::string_view text);

}  // namespace kernbench::report
