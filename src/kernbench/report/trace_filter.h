// Which trace records a writer keeps: track prefixes and a time window. The hook behind the
// command line's --trace-filter, so a long run can trace just the part someone will look at.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/units.h"

namespace kernbench::report {

struct TraceFilter {
  // Whole path components: "sip0/cube1" keeps "sip0/cube1/pe0/dma" but not "sip0/cube10/...".
  // Empty keeps every track.
  std::vector<std::string> track_prefixes;
  // Records overlapping [from, to) are kept whole (a span is not clipped to the window).
  base::SimTime from = base::SimTime::from_ps(std::numeric_limits<std::int64_t>::min());
  base::SimTime to = base::SimTime::max();

  /// True if `track` is one of the prefixes or lies under one.
  bool keeps_track(std::string_view track) const;
  /// True if the span on `track` is kept: its track matches and [start, end) meets the window (a
  /// zero-length span counts as an instant at `start`).
  bool keeps_span(std::string_view track, base::SimTime start, base::SimTime end) const;
  /// True if the instant on `track` at `at` is kept.
  bool keeps_instant(std::string_view track, base::SimTime at) const;
};

}  // namespace kernbench::report
