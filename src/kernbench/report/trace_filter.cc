#include "kernbench/report/trace_filter.h"

#include <algorithm>

namespace kernbench::report {
namespace {

bool under(std::string_view track, std::string_view prefix) {
  if (!track.starts_with(prefix)) return false;
  return track.size() == prefix.size() || prefix.empty() || prefix.back() == '/' ||
         track[prefix.size()] == '/';
}

}  // namespace

bool TraceFilter::keeps_track(std::string_view track) const {
  if (track_prefixes.empty()) return true;
  return std::ranges::any_of(track_prefixes,
                             [track](const std::string& prefix) { return under(track, prefix); });
}

bool TraceFilter::keeps_span(std::string_view track, base::SimTime start, base::SimTime end) const {
  if (start == end) return keeps_instant(track, start);
  return start < to && end > from && keeps_track(track);
}

bool TraceFilter::keeps_instant(std::string_view track, base::SimTime at) const {
  return at >= from && at < to && keeps_track(track);
}

}  // namespace kernbench::report
