// An in-memory TraceSink that keeps every record as a value, for tests of any layer.
#pragma once

#include <string>
#include <vector>

#include "kernbench/sim/trace_sink.h"

namespace kernbench::sim {

class RecordingTraceSink final : public TraceSink {
 public:
  /// One recorded span or instant (an instant has start == end and is_instant set).
  struct Record {
    std::string track;
    std::string name;
    base::SimTime start;
    base::SimTime end;
    bool is_instant = false;
    std::vector<std::pair<std::string, std::string>> args;  // numbers printed in decimal
  };

  void span(std::string_view track, std::string_view name, base::SimTime start, base::SimTime end,
            std::span<const TraceArg> args = {}) override;
  void instant(std::string_view track, std::string_view name, base::SimTime at,
               std::span<const TraceArg> args = {}) override;
  /// One recorded flow: from (track, time) to (track, time).
  struct Flow {
    std::string from_track;
    base::SimTime from;
    std::string to_track;
    base::SimTime to;
  };
  void flow(std::string_view from_track, base::SimTime from, std::string_view to_track,
            base::SimTime to) override;

  /// Every span and instant (busy spans each as a span), in arrival order.
  const std::vector<Record>& records() const { return records_; }
  /// Every flow, in arrival order.
  const std::vector<Flow>& flows() const { return flows_; }

 private:
  std::vector<Record> records_;
  std::vector<Flow> flows_;
};

}  // namespace kernbench::sim
