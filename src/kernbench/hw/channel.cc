#include "kernbench/hw/channel.h"

#include <algorithm>
#include <utility>

#include "kernbench/base/assert.h"

namespace kernbench::hw {

Bytes link_buffer(Bandwidth bandwidth, SimTime latency, Bytes chunk) {
  const std::int64_t service =
      std::max<std::int64_t>(1, base::transfer_time(chunk, bandwidth).ps());
  const std::int64_t round_trip = 2 * latency.ps();
  return chunk * static_cast<std::uint64_t>(1 + (round_trip + service - 1) / service);
}

Channel::Channel(ChannelKind kind, sim::TraceTrack track, Bandwidth bandwidth, SimTime latency,
                 Bytes buffer, std::uint32_t index)
    : kind_(kind),
      index_(index),
      track_(std::move(track)),
      bandwidth_(bandwidth),
      latency_(latency),
      buffer_(buffer) {
  KB_ASSERT(bandwidth.bytes_per_second() > 0, "a channel needs a positive bandwidth");
}

void Channel::start_run(SimTime start, sim::TraceSink* sink) {
  // A gap: the previous busy run is over. Traces show busy runs, not every chunk, so a long
  // transfer is one span and the trace stays small; as busy spans, a writer may join runs whose
  // gap is too short to matter to its reader (--trace-join-gap).
  trace_run(run_start_, run_end_, sink);
  run_start_ = start;
  run_end_ = start;
}

void Channel::trace_run(SimTime start, SimTime end, sim::TraceSink* sink) {
  if (sink != nullptr && end > start) sink->busy_span(track_.id_in(*sink), "busy", start, end);
}

void Channel::remember_service(Bytes size) {
  std::swap(memo_, memo_before_);
  if (memo_.size != size) memo_ = {size, base::transfer_time(size, bandwidth_)};
}

void Channel::flush_trace(sim::TraceSink* sink) {
  record_pending();
  if (run_end_ == kOpen) return;  // flows still cross it
  trace_run(run_start_, run_end_, sink);
  run_start_ = run_end_;
}

}  // namespace kernbench::hw
