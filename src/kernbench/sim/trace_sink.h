// The trace-event sink interface every layer records into (spans, instants and flows on named
// tracks). Writers (Chrome/Perfetto JSON in `report`, the in-memory recorder for tests) implement
// it.
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
  /// Records one of many short spans that together keep `track` busy (a collective's messages):
  /// the same as span, except that a writer may join it to the previous `name` span of `track`
  /// when they touch or overlap, keeping their count and the sums of "bytes" and "elements"
  /// instead of each one's args. Default: span.
  virtual void busy_span(std::string_view track, std::string_view name, base::SimTime start,
                         base::SimTime end, std::span<const TraceArg> args = {}) {
    span(track, name, start, end, args);
  }
  /// Records that what happened on `from_track` at `from` caused what happened on `to_track` at
  /// `to` (a message's send and its arrival; from <= to), each inside a span recorded on its
  /// track. Recorded once both spans are; a writer may draw an arrow, or leave out arrows that
  /// repeat one already drawn. Default: ignored.
  virtual void flow([[maybe_unused]] std::string_view from_track,
                    [[maybe_unused]] base::SimTime from, [[maybe_unused]] std::string_view to_track,
                    [[maybe_unused]] base::SimTime to) {}
};

}  // namespace kernbench::sim
