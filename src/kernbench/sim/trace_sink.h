// The trace-event sink interface every layer records into (spans and instants on named tracks).
// Writers (Chrome/Perfetto JSON in `report`, the in-memory recorder for tests) implement it.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "kernbench/base/units.h"

namespace kernbench::sim {

/// One small key/value annotation of a span or instant (a number or a short text).
struct TraceArg {
  std::string_view key;
  std::variant<std::int64_t, std::string_view> value;
};

/// Receives what the simulation did, as spans and instants on named tracks.
///
/// Contract: calls arrive in simulation order of their *recording* (a span is recorded when it
/// ends, so start times are not sorted); end >= start; every string_view and the args span are
/// valid only during the call, so a sink copies what it keeps; a sink never throws for a valid
/// record and never calls back into the engine. Track names are slash-separated paths
/// ("sip0/cube3/pe5/dma") that writers may group by.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  /// Records that `name` occupied `track` from `start` to `end`.
  virtual void span(std::string_view track, std::string_view name, base::SimTime start,
                    base::SimTime end, std::span<const TraceArg> args = {}) = 0;
  /// Records a point event `name` on `track` at `at`.
  virtual void instant(std::string_view track, std::string_view name, base::SimTime at,
                       std::span<const TraceArg> args = {}) = 0;
};

}  // namespace kernbench::sim
