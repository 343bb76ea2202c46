// An in-memory TraceSink that keeps every record as a value, for tests of any layer.
#pragma once

#include <string>
#include <vector>

#include "kernbench/sim/trace_sink.h"
#include "kernbench/sim/track_table.h"

namespace kernbench::sim {

class RecordingTraceSink final : public TraceSink {
 public:
  /// One recorded span or instant (an instant has start == end and is_instant set).
  struct Record {
    std::string track;  // the track's name
    std::string name;
    base::SimTime start;
    base::SimTime end;
    bool is_instant = false;
    std::vector<std::pair<std::string, std::string>> args;  // numbers printed in decimal
  };

  TrackId declare(const TrackDecl& track) override { return tracks_.add(track).first; }
  void span(TrackId track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const TraceArg> args = {}) override;
  void instant(TrackId track, std::string_view name, base::SimTime at,
               std::span<const TraceArg> args = {}) override;
  /// One recorded flow: from (track, time) to (track, time), tracks by name.
  struct Flow {
    std::string from_track;
    base::SimTime from;
    std::string to_track;
    base::SimTime to;
  };
  void flow(TrackId from_track, base::SimTime from, TrackId to_track, base::SimTime to) override;

  /// Every span and instant (busy spans each as a span), in arrival order.
  const std::vector<Record>& records() const { return records_; }
  /// Every flow, in arrival order.
  const std::vector<Flow>& flows() const { return flows_; }
  /// Every track declared, with its facts.
  const TrackTable& tracks() const { return tracks_; }

 private:
  TrackTable tracks_;
  std::vector<Record> records_;
  std::vector<Flow> flows_;
};

}  // namespace kernbench::sim
