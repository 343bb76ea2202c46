// One pipeline stage of the fabric: a link in one direction, or a memory's port. It serves chunks
// in arrival order, each holding it for size / bandwidth, and hands each chunk on after its
// latency; so flows that share a channel share its bandwidth, and latency never blocks the next
// chunk. This is the one place where the fabric's timing rule is written.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "kernbench/base/units.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::hw {

using base::Bandwidth;
using base::Bytes;
using base::SimTime;

/// What a channel models, for reports ("bound by: HBM slice ...") and trace grouping.
enum class ChannelKind : std::uint8_t {
  pe_port,
  corner_link,
  mesh_link,
  sip_link,
  host_link,
  memory
};

class Channel {
 public:
  /// `track` names it in traces and reports ("sip0/cube5/mesh/x+"); rates must be positive.
  Channel(ChannelKind kind, std::string track, Bandwidth bandwidth, SimTime latency);
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  /// Serves a chunk of `size` arriving at `arrival` (>= every earlier arrival: the caller runs in
  /// event order): it starts when the channel is free, holds it for transfer_time(size,
  /// bandwidth), and is handed on at the returned time (service end + latency).
  SimTime serve(SimTime arrival, Bytes size, sim::TraceSink* sink) {
    if (arrival > free_at_) [[unlikely]]
      start_run(arrival, sink);
    // Chunks mostly have one size: the last service time is kept, not divided out again.
    if (size != memo_size_) [[unlikely]]
      remember_service(size);
    free_at_ = std::max(arrival, free_at_) + memo_service_;
    busy_time_ += memo_service_;
    bytes_ += size;
    ++chunks_;
    return free_at_ + latency_;
  }

  /// Closes the current busy run in the trace (call once at the end of a run).
  void flush_trace(sim::TraceSink* sink);

  ChannelKind kind() const { return kind_; }
  const std::string& track() const { return track_; }
  Bandwidth bandwidth() const { return bandwidth_; }
  SimTime latency() const { return latency_; }
  /// Total time spent serving chunks (utilization = busy_time / elapsed).
  SimTime busy_time() const { return busy_time_; }
  /// Bytes served so far.
  Bytes bytes_served() const { return bytes_; }
  /// Chunks served so far.
  std::uint64_t chunks_served() const { return chunks_; }

 private:
  ChannelKind kind_;
  std::string track_;
  Bandwidth bandwidth_;
  SimTime latency_;
  void start_run(SimTime arrival, sim::TraceSink* sink);
  void remember_service(Bytes size);

  SimTime free_at_;    // when the chunk in service leaves
  SimTime run_start_;  // start of the current busy run (for trace spans)
  SimTime busy_time_;
  Bytes bytes_;
  std::uint64_t chunks_ = 0;
  Bytes memo_size_;       // the last size served (zero at first, whose service is zero)
  SimTime memo_service_;  // transfer_time(memo_size_, bandwidth_)
};

}  // namespace kernbench::hw
