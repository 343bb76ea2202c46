// Fans every trace record out to several sinks, so one run can feed a file writer and an in-memory
// consumer (a report, a test) at once.
#pragma once

#include <utility>
#include <vector>

#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"

namespace kernbench::report {

class MultiTraceSink final : public sim::TraceSink {
 public:
  MultiTraceSink() : out_({}) {}
  /// Forwards to `sinks` (none null; each must outlive this object), in the given order.
  explicit MultiTraceSink(std::vector<sim::TraceSink*> sinks) : out_(std::move(sinks)) {}

  /// Adds one more receiver, called after the existing ones.
  void add(sim::TraceSink& sink) { out_.add(sink); }

  sim::TrackId declare(const sim::TrackDecl& track) override { return out_.declare(track); }
  void span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const sim::TraceArg> args = {}) override {
    out_.each(track, [&](sim::TraceSink& sink, sim::TrackId id) {
      sink.span(id, name, start, end, args);
    });
  }
  void instant(sim::TrackId track, std::string_view name, base::SimTime at,
               std::span<const sim::TraceArg> args = {}) override {
    out_.each(track,
              [&](sim::TraceSink& sink, sim::TrackId id) { sink.instant(id, name, at, args); });
  }
  void busy_span(sim::TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
                 std::span<const sim::TraceArg> args = {}) override {
    out_.each(track, [&](sim::TraceSink& sink, sim::TrackId id) {
      sink.busy_span(id, name, start, end, args);
    });
  }
  void flow(sim::TrackId from_track, base::SimTime from, sim::TrackId to_track,
            base::SimTime to) override {
    out_.each(from_track, to_track, [&](sim::TraceSink& sink, sim::TrackId a, sim::TrackId b) {
      sink.flow(a, from, b, to);
    });
  }

 private:
  sim::TrackFanout out_;
};

}  // namespace kernbench::report
