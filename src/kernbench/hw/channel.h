// One pipeline stage of the fabric: a link in one direction, or a memory's port. It serves chunks
// in arrival order, each holding it for size / bandwidth, and hands each chunk on after its
// latency; so flows that share a channel share its bandwidth, and latency never blocks the next
// chunk. This is the one place where the fabric's timing rule is written: for chunks (serve) and,
// under topo::FabricModel::flows, for whole transfers that split the bandwidth equally (share).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kernbench/base/units.h"
#include "kernbench/sim/trace_sink.h"

namespace kernbench::hw {

using base::Bandwidth;
using base::Bytes;
using base::SimTime;

/// A transfer timed as one flow (topo::FabricModel::flows); TransferEngine defines it.
struct Flow;

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
    const SimTime service = service_time(size);
    free_at_ = std::max(arrival, free_at_) + service;
    busy_time_ += service;
    bytes_ += size;
    ++chunks_;
    return free_at_ + latency_;
  }

  /// transfer_time(size, bandwidth), kept for the last two sizes asked (chunks mostly have one
  /// size, and the flow model asks for a chunk and a 64-byte descriptor in turn).
  SimTime service_time(Bytes size) {
    if (size != memo_[0].size) [[unlikely]]
      remember_service(size);
    return memo_[0].service;
  }

  /// Flow model: a transfer of `size` crosses the channel; counts its bytes (and so its service
  /// time).
  void count_transfer(Bytes size) {
    flow_bytes_ += size;
    bytes_ += size;
    ++chunks_;
  }
  /// Flow model: `flow` crosses the channel from `now` until remove_flow; the channel is busy
  /// while it has a flow or a last chunk to serve.
  void add_flow(Flow* flow, SimTime now, sim::TraceSink* sink);
  void remove_flow(Flow* flow, SimTime now);
  /// Flow model: serves a flow's last chunk in arrival order among last chunks (the flows' shares
  /// stay as they are; TransferEngine sets back the flows it bottlenecks); returns when it has
  /// been served (its latency not included).
  SimTime serve_last_chunk(SimTime arrival, Bytes size, sim::TraceSink* sink);
  /// Flow model: when the last chunks queued so far will have been served.
  SimTime last_chunks_served() const { return free_at_; }
  /// The flows crossing the channel now.
  std::span<Flow* const> flows() const { return {flows_.data(), flows_.size()}; }
  /// Flow model: the bytes per picosecond each flow crossing the channel gets (an equal share).
  double share_per_ps() const { return share_per_ps_; }

  /// Closes the current busy run in the trace (call once at the end of a run).
  void flush_trace(sim::TraceSink* sink);

  ChannelKind kind() const { return kind_; }
  const std::string& track() const { return track_; }
  Bandwidth bandwidth() const { return bandwidth_; }
  SimTime latency() const { return latency_; }
  /// Total time spent serving chunks (utilization = busy_time / elapsed).
  SimTime busy_time() const { return busy_time_ + base::transfer_time(flow_bytes_, bandwidth_); }
  /// Bytes served so far.
  Bytes bytes_served() const { return bytes_; }
  /// Chunks served so far (flow model: transfers).
  std::uint64_t chunks_served() const { return chunks_; }

 private:
  ChannelKind kind_;
  std::string track_;
  Bandwidth bandwidth_;
  SimTime latency_;
  void start_run(SimTime arrival, sim::TraceSink* sink);
  void remember_service(Bytes size);
  void set_share();

  SimTime free_at_;    // when the chunk in service leaves
  SimTime run_start_;  // start of the current busy run (for trace spans)
  SimTime busy_time_;
  Bytes bytes_;
  std::uint64_t chunks_ = 0;
  struct Memo {
    Bytes size;       // zero at first, whose service is zero
    SimTime service;  // transfer_time(size, bandwidth_)
  };
  Memo memo_[2];  // the last size asked first
  std::vector<Flow*> flows_;
  double share_per_ps_ = 0;  // bandwidth per picosecond / flows_.size()
  Bytes flow_bytes_;         // bytes of the flow model's transfers
};

}  // namespace kernbench::hw
