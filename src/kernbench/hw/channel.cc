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
  std::swap(memo_[0], memo_[1]);
  if (memo_[0].size != size) memo_[0] = {size, base::transfer_time(size, bandwidth_)};
}

void Channel::set_share() {
  share_per_ps_ = flows_.empty() ? 0.0
                                 : static_cast<double>(bandwidth_.bytes_per_second()) * 1e-12 /
                                       static_cast<double>(flows_.size());
}

void Channel::add_flow(Flow* flow, SimTime now, sim::TraceSink* sink) {
  if (flows_.empty() && now > free_at_) start_run(now, sink);
  flows_.push_back(flow);
  set_share();
}

void Channel::remove_flow(Flow* flow, SimTime now) {
  const auto it = std::find(flows_.begin(), flows_.end(), flow);
  KB_ASSERT(it != flows_.end(), "a flow left a channel it never crossed");
  *it = flows_.back();
  flows_.pop_back();
  set_share();
  if (flows_.empty()) free_at_ = std::max(free_at_, now);
}

SimTime Channel::serve_last_chunk(SimTime arrival, Bytes size, sim::TraceSink* sink) {
  if (flows_.empty() && arrival > free_at_) start_run(arrival, sink);
  free_at_ = std::max(arrival, free_at_) + service_time(size);
  return free_at_;
}

void Channel::flush_trace(sim::TraceSink* sink) {
  if (sink != nullptr && free_at_ > run_start_) sink->span(track_, "busy", run_start_, free_at_);
  run_start_ = free_at_;
}

}  // namespace kernbench::hw
