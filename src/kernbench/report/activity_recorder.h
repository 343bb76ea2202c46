// Keeps, per trace track, when it was busy (the union of its spans), so a report can say which
// unit, link or memory bound a phase and how hard, and draw a timeline. A sim::TraceSink, put next
// to the trace writer with a MultiTraceSink.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/report/resource_name.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::report {

/// A half-open stretch of simulated time [start, end).
struct Interval {
  base::SimTime start;
  base::SimTime end;
  bool operator==(const Interval&) const = default;
};

/// The most loaded resource of one kind over a window.
struct Busiest {
  ResourceKind kind = ResourceKind::unit;
  std::string resource;      // human text: "HBM slice (sip 0, cube 5, slice 3)"
  std::string track;         // the trace track: "sip0/cube5/hbm3"
  double utilization = 0.0;  // busy time / window length, in [0, 1]
  int equally_busy = 0;      // other resources of the kind busy exactly as long in the window
  bool operator==(const Busiest&) const = default;
};

/// Orders track names naturally: digit runs compare as numbers ("sip0/cube2" < "sip0/cube10"),
/// the rest byte by byte. Transparent, for maps keyed by std::string.
struct NaturalLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

/// Records the busy intervals of every track (instants are ignored).
///
/// Contract: intervals of a track are kept sorted, disjoint and merged (spans that overlap or
/// touch become one); zero-length spans add nothing but still make the track known. Memory grows
/// with the number of *gaps*, not of spans. Every query is exact integer-picosecond arithmetic, so
/// the same run gives the same answers.
class ActivityRecorder final : public sim::TraceSink {
 public:
  ActivityRecorder() = default;
  ActivityRecorder(const ActivityRecorder&) = delete;
  ActivityRecorder& operator=(const ActivityRecorder&) = delete;

  void span(std::string_view track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override;
  void instant(std::string_view track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override;

  /// Every track seen, in natural order (NaturalLess).
  std::vector<std::string> tracks() const;
  /// The merged busy intervals of `track`, sorted; empty for an unknown track.
  std::span<const Interval> intervals(std::string_view track) const;
  /// Time inside [from, to) that `track` was busy; zero for an unknown track or an empty window.
  base::SimTime busy_time(std::string_view track, base::SimTime from, base::SimTime to) const;
  /// The earliest start and latest end of any recorded span; nullopt before the first span.
  std::optional<Interval> extent() const;

  /// The resource of `kind` with the highest busy fraction of [from, to); ties go to the first
  /// track in natural order and are counted in equally_busy. Nullopt when the window is empty or
  /// no such resource was busy in it.
  std::optional<Busiest> busiest(ResourceKind kind, base::SimTime from, base::SimTime to) const;
  /// busiest() of each kind that has one, in unit, link, memory order.
  std::vector<Busiest> busiest_by_kind(base::SimTime from, base::SimTime to) const;

 private:
  struct TrackHash {  // lets a string_view find a track without building a string
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Tracks = std::unordered_map<std::string, std::vector<Interval>, TrackHash, std::equal_to<>>;
  /// The tracks in natural order (queries that break ties walk them so).
  std::vector<const Tracks::value_type*> sorted_tracks() const;

  Tracks tracks_;  // hashed: span() runs for every busy run of the simulation
  std::optional<Interval> extent_;
};

}  // namespace kernbench::report
