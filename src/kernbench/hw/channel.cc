#include "kernbench/hw/channel.h"

#include <algorithm>

#include "kernbench/base/assert.h"

namespace kernbench::hw {

Channel::Channel(ChannelKind kind, std::string track, Bandwidth bandwidth, SimTime latency)
    : kind_(kind), track_(std::move(track)), bandwidth_(bandwidth), latency_(latency) {
  KB_ASSERT(bandwidth.bytes_per_second() > 0, "a channel needs a positive bandwidth");
}

void Channel::start_run(SimTime arrival, sim::TraceSink* sink) {
  // A gap: the previous busy run is over. Traces show busy runs, not every chunk, so a long
  // transfer is one span and the trace stays small.
  if (sink != nullptr && free_at_ > run_start_) sink->span(track_, "busy", run_start_, free_at_);
  run_start_ = arrival;
}

void Channel::remember_service(Bytes size) {
  memo_size_ = size;
  memo_service_ = base::transfer_time(size, bandwidth_);
}

void Channel::flush_trace(sim::TraceSink* sink) {
  if (sink != nullptr && free_at_ > run_start_) sink->span(track_, "busy", run_start_, free_at_);
  run_start_ = free_at_;
}

}  // namespace kernbench::hw
