// Fans every trace record out to several sinks, so one run can feed a file writer and an in-memory
// consumer (a report, a test) at once.
#pragma once

#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::report {

class MultiTraceSink final : public sim::TraceSink {
 public:
  MultiTraceSink() = default;
  /// Forwards to `sinks` (none null; each must outlive this object), in the given order.
  explicit MultiTraceSink(std::vector<sim::TraceSink*> sinks) : sinks_(std::move(sinks)) {}

  /// Adds one more receiver, called after the existing ones.
  void add(sim::TraceSink& sink) { sinks_.push_back(&sink); }

  void span(std::string_view track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override {
    for (sim::TraceSink* sink : sinks_) sink->span(track, name, start, end, args);
  }
  void instant(std::string_view track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override {
    for (sim::TraceSink* sink : sinks_) sink->instant(track, name, at, args);
  }
  void busy_span(std::string_view track, std::string_view name, base::SimTime start,
                 base::SimTime end, std::span<const sim::TraceArg> args = {}) override {
    for (sim::TraceSink* sink : sinks_) sink->busy_span(track, name, start, end, args);
  }
  void flow(std::string_view from_track, base::SimTime from, std::string_view to_track,
            base::SimTime to) override {
    for (sim::TraceSink* sink : sinks_) sink->flow(from_track, from, to_track, to);
  }

 private:
  std::vector<sim::TraceSink*> sinks_;
};

}  // namespace kernbench::report
