// Forwards trace records to other sinks with their times moved by a fixed offset, so simulations
// that each start from time zero on their own machine (the benches of one run, the sizes of a
// collective sweep) follow each other on one timeline.
#pragma once

#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::sim {

class ShiftedTraceSink final : public TraceSink {
 public:
  /// Forwards to `sinks` (each must outlive this object) with `offset` added to every time.
  ShiftedTraceSink(base::SimTime offset, std::vector<TraceSink*> sinks)
      : offset_(offset), sinks_(std::move(sinks)) {}

  void span(std::string_view track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const TraceArg> args = {}) override {
    for (TraceSink* sink : sinks_) sink->span(track, name, start + offset_, end + offset_, args);
  }
  void instant(std::string_view track, std::string_view name, base::SimTime at,
               std::span<const TraceArg> args = {}) override {
    for (TraceSink* sink : sinks_) sink->instant(track, name, at + offset_, args);
  }
  void busy_span(std::string_view track, std::string_view name, base::SimTime start,
                 base::SimTime end, std::span<const TraceArg> args = {}) override {
    for (TraceSink* sink : sinks_)
      sink->busy_span(track, name, start + offset_, end + offset_, args);
  }
  void flow(std::string_view from_track, base::SimTime from, std::string_view to_track,
            base::SimTime to) override {
    for (TraceSink* sink : sinks_) sink->flow(from_track, from + offset_, to_track, to + offset_);
  }

 private:
  base::SimTime offset_;
  std::vector<TraceSink*> sinks_;
};

}  // namespace kernbench::sim
