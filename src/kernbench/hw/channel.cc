#include "kernbench/hw/channel.h"

#include <algorithm>

#include "kernbench/base/assert.h"

namespace kernbench::hw {

Channel::Channel(ChannelKind kind, std::string track, Bandwidth bandwidth, SimTime latency)
    : kind_(kind), track_(std::move(track)), bandwidth_(bandwidth), latency_(latency) {
  KB_ASSERT(bandwidth.bytes_per_second() > 0, "a channel needs a positive bandwidth");
}

SimTime Channel::serve(SimTime arrival, Bytes size, sim::TraceSink* sink) {
  if (arrival > free_at_) {
    // A gap: the previous busy run is over. Traces show busy runs, not every chunk, so a long
    // transfer is one span and the trace stays small.
    if (sink != nullptr && free_at_ > run_start_) sink->span(track_, "busy", run_start_, free_at_);
    run_start_ = arrival;
  }
  const SimTime start = std::max(arrival, free_at_);
  const SimTime service = base::transfer_time(size, bandwidth_);
  free_at_ = start + service;
  busy_time_ += service;
  bytes_ += size;
  ++chunks_;
  return free_at_ + latency_;
}

void Channel::flush_trace(sim::TraceSink* sink) {
  if (sink != nullptr && free_at_ > run_start_) sink->span(track_, "busy", run_start_, free_at_);
  run_start_ = free_at_;
}

}  // namespace kernbench::hw
