// Forwards trace records to other sinks with their times moved by a fixed offset, so the benches
// of one run, each simulated from time zero on its own machine, follow each other on one timeline.
#pragma once

#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::benches {

class ShiftedTraceSink final : public sim::TraceSink {
 public:
  /// Forwards to `sinks` (each must outlive this object) with `offset` added to every time.
  ShiftedTraceSink(base::SimTime offset, std::vector<sim::TraceSink*> sinks)
      : offset_(offset), sinks_(std::move(sinks)) {}

  void span(std::string_view track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override {
    for (sim::TraceSink* sink : sinks_)
      sink->span(track, name, start + offset_, end + offset_, args);
  }
  void instant(std::string_view track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override {
    for (sim::TraceSink* sink : sinks_) sink->instant(track, name, at + offset_, args);
  }

 private:
  base::SimTime offset_;
  std::vector<sim::TraceSink*> sinks_;
};

}  // namespace kernbench::benches
