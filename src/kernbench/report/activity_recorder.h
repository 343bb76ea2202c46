// Keeps, per trace track, when it was busy (the union of its spans), so a report can say which
// unit, link or memory bound a phase and how hard, and draw a timeline. A sim::TraceSink, put next
// to the trace writer with a MultiTraceSink.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/report/busy_list.h"
#include "kernbench/report/resource_name.h"
#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"

namespace kernbench::report {

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
/// with the number of *gaps*, not of spans (about 4 bytes a gap, BusyList). Every query is exact
/// integer-picosecond arithmetic, so the same run gives the same answers. Tracks are known once a
/// span is recorded on them (a declaration alone does not list a track).
class ActivityRecorder final : public sim::TraceSink {
 public:
  ActivityRecorder() = default;
  ActivityRecorder(const ActivityRecorder&) = delete;
  ActivityRecorder& operator=(const ActivityRecorder&) = delete;

  sim::TrackId declare(const sim::TrackDecl& track) override;
  void span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override;
  void instant(sim::TrackId track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override;
  /// A busy span is a span here (what counts is when the track was busy).
  void busy_span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
                 std::span<const sim::TraceArg> args = {}) override {
    ActivityRecorder::span(track, name, start, end, args);
  }

  /// Every track known, in natural order of names (NaturalLess).
  std::span<const sim::TrackId> track_ids() const;
  /// The names of track_ids(), in that order.
  std::vector<std::string> tracks() const;
  /// A declared track's name and facts.
  const sim::TrackInfo& info(sim::TrackId track) const { return table_[track]; }
  /// The merged busy intervals of `track`, sorted (unpacked from its BusyList).
  std::vector<Interval> intervals(sim::TrackId track) const { return busy_[track].intervals(); }
  /// The same by name; empty for an unknown track.
  std::vector<Interval> intervals(std::string_view track) const;
  /// Time inside [from, to) that `track` was busy; zero for an empty window.
  base::SimTime busy_time(sim::TrackId track, base::SimTime from, base::SimTime to) const;
  /// The same by name; zero for an unknown track.
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
  /// busiest() of every kind in one walk over the tracks, by ResourceKind.
  std::array<std::optional<Busiest>, 3> busiest_of_kinds(base::SimTime from,
                                                         base::SimTime to) const;

  sim::TrackTable table_;
  ByteArena arena_;                  // the busy lists' sealed batches
  std::vector<BusyList> busy_;       // by track id
  std::vector<std::uint8_t> known_;  // by track id: 1 once a span was recorded
  std::size_t known_count_ = 0;
  mutable std::vector<sim::TrackId> sorted_;  // the known tracks in natural order, when up to date
  std::optional<Interval> extent_;
};

}  // namespace kernbench::report
