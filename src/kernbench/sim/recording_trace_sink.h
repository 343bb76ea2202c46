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

  /// Every record, in arrival order.
  const std::vector<Record>& records() const { return records_; }

 private:
  std::vector<Record> records_;
};

}  // namespace kernbench::sim
