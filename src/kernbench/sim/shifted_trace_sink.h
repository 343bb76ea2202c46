// Forwards trace records to other sinks with their times moved by a fixed offset, so simulations
// that each start from time zero on their own machine (the benches of one run, the sizes of a
// collective sweep) follow each other on one timeline.
#pragma once

#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"

namespace kernbench::sim {

class ShiftedTraceSink final : public TraceSink {
 public:
  /// Forwards to `sinks` (each must outlive this object) with `offset` added to every time.
  ShiftedTraceSink(base::SimTime offset, std::vector<TraceSink*> sinks)
      : offset_(offset), out_(std::move(sinks)) {}

  TrackId declare(const TrackDecl& track) override { return out_.declare(track); }
  void span(TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const TraceArg> args = {}) override {
    out_.each(track, [&](TraceSink& sink, TrackId id) {
      sink.span(id, name, start + offset_, end + offset_, args);
    });
  }
  void instant(TrackId track, std::string_view name, base::SimTime at,
               std::span<const TraceArg> args = {}) override {
    out_.each(track,
              [&](TraceSink& sink, TrackId id) { sink.instant(id, name, at + offset_, args); });
  }
  void busy_span(TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
                 std::span<const TraceArg> args = {}) override {
    out_.each(track, [&](TraceSink& sink, TrackId id) {
      sink.busy_span(id, name, start + offset_, end + offset_, args);
    });
  }
  void flow(TrackId from_track, base::SimTime from, TrackId to_track, base::SimTime to) override {
    out_.each(from_track, to_track, [&](TraceSink& sink, TrackId a, TrackId b) {
      sink.flow(a, from + offset_, b, to + offset_);
    });
  }

 private:
  base::SimTime offset_;
  TrackFanout out_;
};

}  // namespace kernbench::sim
